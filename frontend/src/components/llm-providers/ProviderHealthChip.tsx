// A provider's health as one chip: testing now, healthy, failing (with its code), or not tested.
import { Chip } from "@mui/material";
import type { CardHealth } from "./providerCardView";

export function ProviderHealthChip({ health }: { health: CardHealth }) {
  if (health.kind === "testing") return <Chip size="small" label="Testing…" variant="outlined" />;
  if (health.kind === "untested") return <Chip size="small" label="Not tested" variant="outlined" />;
  const test = health.lastTest;
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
