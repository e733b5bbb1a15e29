// One provider: what it is, whether it works (the stored health, "checked 3 min ago" and by
// what), and its actions (edit, test, delete). What it shows comes from cardView, so a running
// test never sits next to an old result and an answer never next to "never checked".
import {
  Alert,
  Box,
  Button,
  Card,
  CardActions,
  CardContent,
  Chip,
  CircularProgress,
  Stack,
  Typography,
} from "@mui/material";
import { useState, type ReactNode } from "react";
import { useTestProviderMutation } from "../../services/api/userLLMProvidersApi";
import { useAppDispatch, useAppSelector } from "../../store/hooks";
import { editModalOpened, testDismissed } from "../../store/slices/userLLMProvidersSlice";
import type { ProviderTypeInfo, UserLLMProvider } from "../../types/UserLLMProvider.types";
import { CheckedAgo } from "./CheckedAgo";
import { DeleteProviderDialog } from "./DeleteProviderDialog";
import { ProviderHealthChip } from "./ProviderHealthChip";
import { ProviderTestResult } from "./ProviderTestResult";
import { cardView } from "./providerCardView";
import { ProviderTypeIcon } from "./providerTypeIcons";

interface Props {
  provider: UserLLMProvider;
  /** The type's registry entry, for its label and defaults (absent while `/types` loads). */
  typeInfo?: ProviderTypeInfo;
}

function Detail({ term, children }: { term: string; children: ReactNode }) {
  return (
    <Box sx={{ display: "grid", gridTemplateColumns: "7.5rem 1fr", gap: 1 }}>
      <Typography component="dt" variant="body2" color="text.secondary">
        {term}
      </Typography>
      <Typography component="dd" variant="body2" sx={{ m: 0, overflowWrap: "anywhere" }}>
        {children}
      </Typography>
    </Box>
  );
}

export function ProviderCard({ provider, typeInfo }: Props) {
  const dispatch = useAppDispatch();
  const test = useAppSelector((s) => s.userLLMProviders.tests[provider.id]);
  const [testProvider] = useTestProviderMutation();
  const [confirmOpen, setConfirmOpen] = useState(false);
  const running = test?.running ?? false;
  const edit = () => dispatch(editModalOpened(provider.id));
  const titleId = `provider-${provider.id}-name`;
  const view = cardView(provider, test);
  const { health } = view;
  const shown = view.answer ?? view.requestError;

  return (
    <Card variant="outlined" component="article" aria-labelledby={titleId} sx={{ height: "100%" }}>
      <CardContent>
        <Stack direction="row" spacing={1.5} sx={{ alignItems: "center", mb: 1.5 }}>
          <ProviderTypeIcon type={provider.provider_type} />
          <Box sx={{ flexGrow: 1, minWidth: 0 }}>
            <Typography id={titleId} variant="h6" component="h2" noWrap title={provider.name}>
              {provider.name}
            </Typography>
            <Typography variant="body2" color="text.secondary">
              {typeInfo?.label ?? provider.provider_type}
            </Typography>
          </Box>
          <ProviderHealthChip health={health} />
          {!provider.is_active && <Chip size="small" label="Inactive" />}
        </Stack>
        <Box component="dl" sx={{ display: "grid", gap: 0.5, m: 0 }}>
          <Detail term="Model">
            {provider.effective_model}
            {provider.default_model ? "" : " (type default)"}
          </Detail>
          <Detail term="Endpoint">
            {provider.endpoint_url ?? `default (${typeInfo?.default_endpoint ?? "type default"})`}
          </Detail>
          <Detail term="API key">
            {provider.has_api_key ? `…${provider.api_key_hint ?? ""}` : "none"}
          </Detail>
          <Detail term="Health">
            {health.kind === "testing" && "testing now…"}
            {health.kind === "untested" && "never checked"}
            {health.kind === "checked" && (
              <CheckedAgo at={health.lastTest.tested_at} source={health.lastTest.source} />
            )}
          </Detail>
          {health.kind === "checked" && health.lastTest.status === "failure" && !view.answer && (
            <Detail term="Error">{health.lastTest.message ?? health.lastTest.error_code}</Detail>
          )}
        </Box>
        {provider.key_status === "needs_reentry" && (
          <Alert
            severity="warning"
            sx={{ mt: 2 }}
            action={
              <Button color="inherit" size="small" onClick={edit}>
                Re-enter key
              </Button>
            }
          >
            The stored API key can no longer be decrypted (the server's encryption key changed).
            Enter the key again to use this provider.
          </Alert>
        )}
        {shown && (
          <Box sx={{ mt: 2 }}>
            <ProviderTestResult outcome={shown} onDismiss={() => dispatch(testDismissed(provider.id))} />
          </Box>
        )}
      </CardContent>
      <CardActions>
        <Button onClick={edit} aria-label={`Edit ${provider.name}`}>
          Edit
        </Button>
        <Button
          onClick={() => testProvider(provider.id)}
          disabled={running}
          aria-label={`Test ${provider.name}`}
          startIcon={running ? <CircularProgress size={16} aria-label="Testing" /> : undefined}
        >
          {running ? "Testing…" : "Test"}
        </Button>
        <Button color="error" onClick={() => setConfirmOpen(true)} aria-label={`Delete ${provider.name}`}>
          Delete
        </Button>
      </CardActions>
      <DeleteProviderDialog provider={provider} open={confirmOpen} onClose={() => setConfirmOpen(false)} />
    </Card>
  );
}
