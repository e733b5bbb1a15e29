// Shows the sign-in form instead of the page while the server requires sign-in and nobody is
// signed in, and nothing until the server said which (so a page never asks for data it would be
// refused). When the server cannot be asked, the page is shown: the server still checks every
// request.
import { CircularProgress } from "@mui/material";
import type { ReactNode } from "react";
import { useGetAuthSessionQuery } from "../../services/api/authApi";
import { SignInForm } from "./SignInForm";

/** `"pending"` until the session answer arrives, then `"sign-in"` or `"ok"`. */
export function useSignInState(): "pending" | "sign-in" | "ok" {
  const { data, isFetching, isError } = useGetAuthSessionQuery();
  if (isError) return "ok";
  if (!data || (isFetching && !data.user)) return "pending";
  return data.mode === "accounts" && !data.user ? "sign-in" : "ok";
}

export function AuthGate({ children }: { children: ReactNode }) {
  const state = useSignInState();
  if (state === "pending") return <CircularProgress aria-label="Checking sign-in" />;
  if (state === "sign-in") return <SignInForm />;
  return <>{children}</>;
}
