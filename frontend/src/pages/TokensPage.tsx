// Personal API tokens for the CLI, scripts and MCP: create (the value is shown once), list and
// revoke. Send a token as `Authorization: Bearer <token>`.
import {
  Alert,
  Box,
  Button,
  Paper,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from "@mui/material";
import { useState, type FormEvent } from "react";
import {
  useCreateTokenMutation,
  useListTokensQuery,
  useRevokeTokenMutation,
} from "../services/api/authApi";
import { handleError } from "../services/api/handleError";
import type { ApiTokenCreated } from "../types/Auth.types";

const when = (value: string | null) => (value ? new Date(value).toLocaleString() : "never");

export function TokensPage() {
  const { data, error } = useListTokensQuery();
  const [createToken, created] = useCreateTokenMutation();
  const [revokeToken] = useRevokeTokenMutation();
  const [name, setName] = useState("");
  const [fresh, setFresh] = useState<ApiTokenCreated | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return;
    const result = await createToken({ name: name.trim() });
    if ("data" in result && result.data) {
      setFresh(result.data);
      setName("");
    }
  };

  return (
    <Box>
      <Typography variant="h4" component="h1" sx={{ mb: 2 }}>
        API tokens
      </Typography>
      <Typography sx={{ mb: 2 }}>
        Personal tokens let the CLI, scripts and MCP clients act as you: send one as{" "}
        <code>Authorization: Bearer &lt;token&gt;</code>.
      </Typography>
      {error && <Alert severity="info">{handleError(error).message}</Alert>}
      {!error && (
        <>
          <Paper component="form" onSubmit={submit} sx={{ p: 2, mb: 2, display: "flex", gap: 2 }}>
            <TextField
              label="Token name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              size="small"
              sx={{ flexGrow: 1 }}
              slotProps={{ htmlInput: { maxLength: 100 } }}
            />
            <Button type="submit" variant="contained" disabled={!name.trim() || created.isLoading}>
              Create token
            </Button>
          </Paper>
          {created.error && <Alert severity="error">{handleError(created.error).message}</Alert>}
          {fresh && (
            <Alert severity="success" sx={{ mb: 2 }} onClose={() => setFresh(null)}>
              Copy the token “{fresh.name}” now: it is not shown again.
              <TextField
                label="New token"
                value={fresh.token}
                fullWidth
                size="small"
                sx={{ mt: 1 }}
                slotProps={{ htmlInput: { readOnly: true, spellCheck: false } }}
                onFocus={(e) => e.target.select()}
              />
            </Alert>
          )}
          <Table aria-label="API tokens" size="small">
            <TableHead>
              <TableRow>
                <TableCell>Name</TableCell>
                <TableCell>Starts with</TableCell>
                <TableCell>Created</TableCell>
                <TableCell>Last used</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {data?.data.map((token) => (
                <TableRow key={token.id}>
                  <TableCell>{token.name}</TableCell>
                  <TableCell>
                    <code>{token.token_hint}…</code>
                  </TableCell>
                  <TableCell>{when(token.created_at)}</TableCell>
                  <TableCell>{when(token.last_used_at)}</TableCell>
                  <TableCell align="right">
                    <Button color="error" size="small" onClick={() => void revokeToken(token.id)} aria-label={`Revoke ${token.name}`}>
                      Revoke
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
              {data?.count === 0 && (
                <TableRow>
                  <TableCell colSpan={5}>No tokens yet.</TableCell>
                </TableRow>
              )}
            </TableBody>
          </Table>
        </>
      )}
    </Box>
  );
}
