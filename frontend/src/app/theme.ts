// Light and dark themes; `useSystemTheme` follows the system's `prefers-color-scheme`.
import { createTheme, useMediaQuery, type Theme } from "@mui/material";
import { useMemo } from "react";

export function makeTheme(mode: "light" | "dark"): Theme {
  return createTheme({
    palette: { mode, primary: { main: mode === "dark" ? "#90caf9" : "#1565c0" } },
    shape: { borderRadius: 8 },
  });
}

/** The theme matching the system's colour scheme, updated when the user switches it. */
export function useSystemTheme(): Theme {
  const prefersDark = useMediaQuery("(prefers-color-scheme: dark)", { noSsr: true });
  return useMemo(() => makeTheme(prefersDark ? "dark" : "light"), [prefersDark]);
}
