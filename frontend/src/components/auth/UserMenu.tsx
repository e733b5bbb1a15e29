// The app bar's account corner: who is signed in and a sign-out button (sessions only; a
// token or the implicit local user has nothing to sign out of).
import { Box, Button, Typography } from "@mui/material";
import { useGetAuthSessionQuery, useLogoutMutation } from "../../services/api/authApi";

export function UserMenu() {
  const { data } = useGetAuthSessionQuery();
  const [logout, { isLoading }] = useLogoutMutation();
  const user = data?.user;
  if (data?.mode !== "accounts" || !user) return null;
  return (
    <Box sx={{ display: "flex", alignItems: "center", gap: 1 }}>
      <Typography variant="body2" aria-label="Signed in as">
        {user.name} ({user.role})
      </Typography>
      {user.via === "session" && (
        <Button color="inherit" size="small" onClick={() => void logout()} disabled={isLoading}>
          Sign out
        </Button>
      )}
    </Box>
  );
}
