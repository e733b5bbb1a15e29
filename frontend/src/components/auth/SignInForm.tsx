// The sign-in page shown when the server says sign-in is required (`mode: "accounts"`, no user).
import { Alert, Box, Button, Paper, TextField, Typography } from "@mui/material";
import { useState, type FormEvent } from "react";
import { handleError } from "../../services/api/handleError";
import { useLoginMutation } from "../../services/api/authApi";

export function SignInForm() {
  const [login, { isLoading, error }] = useLoginMutation();
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim() || !password) return;
    login({ name: name.trim(), password })
      .unwrap()
      .catch(() => setPassword(""));
  };

  return (
    <Box sx={{ display: "flex", justifyContent: "center", mt: 6 }}>
      <Paper component="form" onSubmit={submit} sx={{ p: 4, width: 380, maxWidth: "100%" }} aria-labelledby="sign-in-title">
        <Typography id="sign-in-title" variant="h5" component="h1" sx={{ mb: 2 }}>
          Sign in to binscribe
        </Typography>
        {error && (
          <Alert severity="error" sx={{ mb: 2 }}>
            {handleError(error).message}
          </Alert>
        )}
        <TextField
          label="User name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          autoComplete="username"
          autoFocus
          fullWidth
          required
          sx={{ mb: 2 }}
        />
        <TextField
          label="Password"
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="current-password"
          fullWidth
          required
          sx={{ mb: 3 }}
        />
        <Button type="submit" variant="contained" fullWidth disabled={isLoading || !name.trim() || !password}>
          Sign in
        </Button>
      </Paper>
    </Box>
  );
}
