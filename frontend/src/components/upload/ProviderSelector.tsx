// Which LLM provider explains the upload: the active providers from `GET /api/v1/llm-providers`
// with their health and when it was checked ("checked 3 min ago"), plus "decompile only".
// Unhealthy providers stay selectable with a warning; providers whose key must be re-entered
// cannot be chosen. A provider being re-checked keeps its last health, marked "re-checking…",
// until the new answer replaces it.
import {
  Alert,
  Box,
  Chip,
  CircularProgress,
  FormControl,
  FormControlLabel,
  FormLabel,
  Link,
  Radio,
  RadioGroup,
  Typography,
} from "@mui/material";
import { Link as RouterLink } from "react-router-dom";
import type { ProviderHealth } from "../../types/Job.types";
import { CheckedAgo } from "../llm-providers/CheckedAgo";
import { checkedBy } from "../llm-providers/checkedAgo";

const NONE = "none";

/** The provider chosen when the user has not chosen: the first healthy, else the first usable. */
export function defaultProviderId(providers: ProviderHealth[]): string | null {
  const usable = providers.filter((p) => p.key_status === "ok");
  return (usable.find((p) => p.health === "healthy") ?? usable[0])?.id ?? null;
}

function HealthChip({ provider }: { provider: ProviderHealth }) {
  if (provider.key_status === "needs_reentry") {
    return <Chip size="small" color="warning" label="Key needs re-entry" />;
  }
  if (provider.health === "healthy") return <Chip size="small" color="success" label="Healthy" />;
  if (provider.health === "unhealthy") {
    return <Chip size="small" color="error" label={`Unhealthy: ${provider.error_code ?? "error"}`} />;
  }
  return <Chip size="small" variant="outlined" label="Not tested" />;
}

export interface ProviderSelectorProps {
  providers: ProviderHealth[] | undefined;
  loading: boolean;
  /** The chosen provider id; null is "decompile only". */
  value: string | null;
  onChange: (value: string | null) => void;
  /** A message when the list could not be loaded. */
  error?: string;
  /** Providers whose health is being re-checked now. */
  recheckingIds?: ReadonlySet<string>;
}

function Checked({ provider, rechecking }: { provider: ProviderHealth; rechecking: boolean }) {
  if (!provider.last_checked_at && !rechecking) return null;
  return (
    <Typography component="span" variant="body2" color="text.secondary">
      {provider.last_checked_at && <CheckedAgo at={provider.last_checked_at} />}
      {provider.last_checked_at && rechecking ? " · " : ""}
      {rechecking && "re-checking…"}
    </Typography>
  );
}

export function ProviderSelector({ providers, loading, value, onChange, error, recheckingIds }: ProviderSelectorProps) {
  const chosen = providers?.find((p) => p.id === value);
  return (
    <FormControl component="fieldset" fullWidth>
      <FormLabel component="legend">Explain with</FormLabel>
      {loading && (
        <Box sx={{ display: "flex", gap: 1, alignItems: "center", my: 1 }}>
          <CircularProgress size={16} aria-label="Loading providers" />
          <Typography variant="body2">Loading your providers…</Typography>
        </Box>
      )}
      {error && <Alert severity="error" sx={{ my: 1 }}>{error}</Alert>}
      {providers && providers.length === 0 && (
        <Alert severity="info" sx={{ my: 1 }}>
          You have no active LLM provider.{" "}
          <Link component={RouterLink} to="/providers">
            Add a provider
          </Link>{" "}
          to get explanations, or decompile only.
        </Alert>
      )}
      <RadioGroup
        name="provider"
        value={value ?? NONE}
        onChange={(event) => onChange(event.target.value === NONE ? null : event.target.value)}
      >
        {(providers ?? []).map((provider) => (
          <FormControlLabel
            key={provider.id}
            value={provider.id}
            disabled={provider.key_status === "needs_reentry"}
            control={<Radio />}
            label={
              <Box sx={{ display: "flex", gap: 1, alignItems: "center", flexWrap: "wrap", py: 0.5 }}>
                <span>{provider.name}</span>
                <Typography component="span" variant="body2" color="text.secondary">
                  {provider.provider_type} · {provider.model}
                </Typography>
                <HealthChip provider={provider} />
                <Checked provider={provider} rechecking={recheckingIds?.has(provider.id) ?? false} />
              </Box>
            }
          />
        ))}
        <FormControlLabel
          value={NONE}
          control={<Radio />}
          label="Decompile only (no LLM, no explanations)"
        />
      </RadioGroup>
      {chosen?.health === "unhealthy" && (
        <Alert severity="warning" sx={{ mt: 1 }}>
          The last check of “{chosen.name}” ({checkedBy(chosen.checked_by)}) failed
          {chosen.message ? `: ${chosen.message}` : "."} The job may fail to explain anything;{" "}
          <Link component={RouterLink} to="/providers">
            test it again
          </Link>{" "}
          first, or go on anyway.
        </Alert>
      )}
      {chosen?.health === "untested" && (
        <Alert severity="info" sx={{ mt: 1 }}>
          “{chosen.name}” has not been tested yet.
        </Alert>
      )}
    </FormControl>
  );
}
