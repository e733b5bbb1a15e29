// Health of a provider from its stored last test: healthy, failing, or not tested yet.
import { Chip } from "@mui/material";
import type { UserLLMProvider } from "../../types/UserLLMProvider.types";

export function ProviderHealthChip({ provider }: { provider: UserLLMProvider }) {
  const test = provider.last_test;
  if (!test) return <Chip size="small" label="Not tested" variant="outlined" />;
  if (test.status === "success") return <Chip size="small" color="success" label="Healthy" />;
  return (
    <Chip
      size="small"
      color="error"
      label={`Failing: ${test.error_code ?? "error"}`}
      title={test.message ?? undefined}
    />
  );
}
