// Asks for the server's access token after a 401. The token stays in memory (Redux), never in
// browser storage, so a reload asks again.
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  TextField,
} from "@mui/material";
import { useState, type FormEvent } from "react";
import { useGetAuthSessionQuery } from "../../services/api/authApi";
import { api } from "../../services/api/baseApi";
import { useAppDispatch, useAppSelector } from "../../store/hooks";
import { tokenEntered } from "../../store/slices/authSlice";

export function TokenPrompt() {
  const dispatch = useAppDispatch();
  const { data: session } = useGetAuthSessionQuery();
  // with user accounts a 401 means "sign in" (the sign-in form), not "type the server token"
  const open = useAppSelector((s) => s.auth.tokenRequired) && session?.mode !== "accounts";
  const hadToken = useAppSelector((s) => s.auth.token !== null);
  const [token, setToken] = useState("");

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!token.trim()) return;
    dispatch(tokenEntered(token.trim()));
    setToken("");
    dispatch(api.util.invalidateTags(["Health", "UserLLMProvider", "ProviderType", "AuthSession"]));
  };

  return (
    <Dialog open={open} aria-labelledby="token-prompt-title">
      <form onSubmit={submit}>
        <DialogTitle id="token-prompt-title">Access token required</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>
            {hadToken
              ? "The server refused this token. Check BINSCRIBE_API_TOKEN and try again."
              : "This server requires the access token set in BINSCRIBE_API_TOKEN. It is kept in " +
                "this tab's memory only."}
          </DialogContentText>
          <TextField
            autoFocus
            fullWidth
            required
            type="password"
            label="Access token"
            value={token}
            onChange={(e) => setToken(e.target.value)}
            autoComplete="off"
            slotProps={{ htmlInput: { spellCheck: false } }}
          />
        </DialogContent>
        <DialogActions>
          <Button type="submit" variant="contained" disabled={!token.trim()}>
            Continue
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
