// Shown when no provider exists yet: what a provider is for, and the first step.
import AddIcon from "@mui/icons-material/Add";
import { Button, Paper, Typography } from "@mui/material";

export function EmptyProvidersState({ onAdd }: { onAdd: () => void }) {
  return (
    <Paper variant="outlined" sx={{ p: 4, textAlign: "center" }}>
      <Typography variant="h5" component="h2" gutterBottom>
        No LLM providers yet
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 3, maxWidth: 560, mx: "auto" }}>
        binscribe explains decompiled code with your own LLM provider: OpenAI or a compatible
        server, Anthropic, Google Gemini, or a local Ollama. Your API key is encrypted on the server
        and never shown again.
      </Typography>
      <Button variant="contained" startIcon={<AddIcon />} onClick={onAdd}>
        Add your first provider
      </Button>
    </Paper>
  );
}
