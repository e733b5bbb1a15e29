// Light and dark themes; `useSystemTheme` follows the system's `prefers-color-scheme`. Text on a
// coloured background (chips, contained buttons) and coloured text on the page background keep a
// contrast of at least 4.5:1 (WCAG AA, checked by axe-core in the end-to-end tests).
import { createTheme, useMediaQuery, type Theme } from "@mui/material";
import { useMemo } from "react";

export function makeTheme(mode: "light" | "dark"): Theme {
  return createTheme({
    palette: {
      mode,
      // MUI picks white or dark text on a colour by this ratio (its default, 3, lets white on
      // the light theme's info blue and the dark theme's error red through at 3.7-3.9:1).
      contrastThreshold: 4.5,
      primary: { main: mode === "dark" ? "#90caf9" : "#1565c0" },
      // MUI's light warning orange (#ed6c02) is 3.1:1 on white, as text or behind white text.
      ...(mode === "light" && { warning: { main: "#b45309" } }),
    },
    shape: { borderRadius: 8 },
  });
}

/** The theme matching the system's colour scheme, updated when the user switches it. */
export function useSystemTheme(): Theme {
  const prefersDark = useMediaQuery("(prefers-color-scheme: dark)", { noSsr: true });
  return useMemo(() => makeTheme(prefersDark ? "dark" : "light"), [prefersDark]);
}
