// One icon per provider type; unknown future types get a generic one.
import AutoAwesomeIcon from "@mui/icons-material/AutoAwesome";
import ComputerIcon from "@mui/icons-material/Computer";
import DiamondIcon from "@mui/icons-material/Diamond";
import HubIcon from "@mui/icons-material/Hub";
import PsychologyIcon from "@mui/icons-material/Psychology";
import type { ReactElement } from "react";

const ICONS: Record<string, ReactElement> = {
  openai: <AutoAwesomeIcon aria-hidden />,
  anthropic: <PsychologyIcon aria-hidden />,
  gemini: <DiamondIcon aria-hidden />,
  ollama: <ComputerIcon aria-hidden />,
};

export function ProviderTypeIcon({ type }: { type: string }) {
  return ICONS[type] ?? <HubIcon aria-hidden />;
}
