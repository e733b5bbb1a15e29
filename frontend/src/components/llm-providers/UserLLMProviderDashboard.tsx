// The provider list: loading and error states, the empty state, one card per provider, the
// config modal, and what the server said about the last save (its `notices`).
import AddIcon from "@mui/icons-material/Add";
import { Alert, AlertTitle, Box, Button, CircularProgress, Stack } from "@mui/material";
import { useState } from "react";
import { handleError } from "../../services/api/handleError";
import {
  useListProviderTypesQuery,
  useListProvidersQuery,
} from "../../services/api/userLLMProvidersApi";
import { useAppDispatch } from "../../store/hooks";
import { createModalOpened } from "../../store/slices/userLLMProvidersSlice";
import type { UserLLMProvider } from "../../types/UserLLMProvider.types";
import { EmptyProvidersState } from "./EmptyProvidersState";
import { ProviderCard } from "./ProviderCard";
import { ProviderConfigModal } from "./ProviderConfigModal";

export function UserLLMProviderDashboard() {
  const dispatch = useAppDispatch();
  const { data, error, isLoading } = useListProvidersQuery();
  const { data: types } = useListProviderTypesQuery();
  const [saved, setSaved] = useState<UserLLMProvider | null>(null);
  const add = () => dispatch(createModalOpened());

  let body;
  if (isLoading) {
    body = <CircularProgress aria-label="Loading providers" />;
  } else if (error) {
    const { code, message } = handleError(error);
    body = (
      <Alert severity="error">
        <AlertTitle>Could not load providers ({code})</AlertTitle>
        {message}
      </Alert>
    );
  } else if (!data?.data.length) {
    body = <EmptyProvidersState onAdd={add} />;
  } else {
    body = (
      <Box
        sx={{
          display: "grid",
          gap: 2,
          gridTemplateColumns: "repeat(auto-fill, minmax(min(100%, 340px), 1fr))",
        }}
      >
        {data.data.map((p) => (
          <ProviderCard key={p.id} provider={p} typeInfo={types?.data.find((t) => t.type === p.provider_type)} />
        ))}
      </Box>
    );
  }

  return (
    <Stack spacing={2}>
      {data && data.data.length > 0 && (
        <Box>
          <Button variant="contained" startIcon={<AddIcon />} onClick={add}>
            Add provider
          </Button>
        </Box>
      )}
      {saved && (
        <Alert severity="success" onClose={() => setSaved(null)} role="status">
          <AlertTitle>Saved “{saved.name}”</AlertTitle>
          {(saved.notices ?? []).length > 0 && (
            <Box component="ul" sx={{ m: 0, pl: 2 }}>
              {(saved.notices ?? []).map((n) => (
                <li key={n}>{n}</li>
              ))}
            </Box>
          )}
        </Alert>
      )}
      {body}
      <ProviderConfigModal onSaved={setSaved} />
    </Stack>
  );
}
