// Shows the sign-in form instead of the page while the server requires sign-in and nobody is
// signed in. Until the session answer arrives (or when the server cannot be asked) the page is
// shown: every API request is still checked by the server.
import type { ReactNode } from "react";
import { useGetAuthSessionQuery } from "../../services/api/authApi";
import { SignInForm } from "./SignInForm";

export function AuthGate({ children }: { children: ReactNode }) {
  const { data } = useGetAuthSessionQuery();
  if (data?.mode === "accounts" && !data.user) return <SignInForm />;
  return <>{children}</>;
}
