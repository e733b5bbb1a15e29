import { Typography } from "@mui/material";
import { UserLLMProviderDashboard } from "../components/llm-providers";

export function ProvidersPage() {
  return (
    <>
      <Typography variant="h4" component="h1" gutterBottom>
        LLM providers
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 3 }}>
        The models that explain your binaries. Keys are encrypted on the server and never shown
        again; only their last four characters are.
      </Typography>
      <UserLLMProviderDashboard />
    </>
  );
}
