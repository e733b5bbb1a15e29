// The frame of every page: app bar with navigation, service health, the signed-in user and the
// token prompt; the sign-in form replaces the page while sign-in is required.
import { AppBar, Box, Button, Container, Toolbar, Typography } from "@mui/material";
import { NavLink, Outlet } from "react-router-dom";
import { AuthGate, useSignInState } from "../auth/AuthGate";
import { UserMenu } from "../auth/UserMenu";
import { useGetAuthSessionQuery } from "../../services/api/authApi";
import { HealthIndicator } from "./HealthIndicator";
import { TokenPrompt } from "./TokenPrompt";

const NAV = [
  { to: "/providers", label: "Providers" },
  { to: "/analyze", label: "Analyze" },
  { to: "/jobs", label: "Jobs" },
];

const TOKENS = { to: "/tokens", label: "Tokens" };

export function AppLayout() {
  const { data: auth } = useGetAuthSessionQuery();
  const signIn = useSignInState();
  const nav = auth?.user?.id ? [...NAV, TOKENS] : NAV;
  return (
    <>
      <AppBar position="static" color="default" elevation={1} component="header">
        <Toolbar sx={{ gap: 2, flexWrap: "wrap" }}>
          <Typography variant="h6" component="span" sx={{ fontWeight: 700 }}>
            binscribe
          </Typography>
          <Box component="nav" aria-label="Main" sx={{ display: "flex", gap: 1, flexGrow: 1 }}>
            {nav.map(({ to, label }) => (
              <Button
                key={to}
                component={NavLink}
                to={to}
                color="inherit"
                sx={{ "&.active": { color: "primary.main", fontWeight: 700 } }}
              >
                {label}
              </Button>
            ))}
          </Box>
          {signIn === "ok" && <HealthIndicator />}
          <UserMenu />
        </Toolbar>
      </AppBar>
      <Container component="main" maxWidth="lg" sx={{ py: 3 }}>
        <AuthGate>
          <Outlet />
        </AuthGate>
      </Container>
      <TokenPrompt />
    </>
  );
}
