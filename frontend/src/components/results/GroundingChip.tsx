// The grounding of one function explanation: a chip with the share of its evidence claims found
// in the function itself (computed by the server, not by the model); when some are not, the
// chip opens the list of those unverified claims.
import { Box, Chip, List, ListItem, Typography } from "@mui/material";
import { useId, useState } from "react";
import type { components } from "../../types/generated/api";

export type Grounding = components["schemas"]["GroundingScore"];

/** `0.714` -> `"71%"`. */
export function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

export function groundingLabel(grounding: Grounding): string {
  if (grounding.total === 0) return "grounding: no evidence cited";
  return `grounded ${percent(grounding.score)} (${grounding.grounded} of ${grounding.total} claims)`;
}

export function GroundingChip({ grounding }: { grounding: Grounding }) {
  const [open, setOpen] = useState(false);
  const listId = useId();
  const unverified = grounding.unverified ?? [];
  const color = grounding.total === 0 || grounding.score < 0.5 ? "error" : grounding.score < 1 ? "warning" : "success";
  if (unverified.length === 0) {
    return <Chip size="small" variant="outlined" color={color} label={groundingLabel(grounding)} />;
  }
  return (
    <>
      <Chip
        size="small"
        variant="outlined"
        color={color}
        label={groundingLabel(grounding)}
        onClick={() => setOpen(!open)}
        aria-expanded={open}
        aria-controls={listId}
      />
      {open && (
        <Box id={listId} sx={{ flexBasis: "100%" }}>
          <Typography variant="subtitle2" component="h4">
            Unverified claims (not found in this function)
          </Typography>
          <List dense disablePadding aria-label="Unverified claims" sx={{ listStyle: "disc", pl: 3 }}>
            {unverified.map((claim, i) => (
              <ListItem key={i} sx={{ display: "list-item", py: 0, wordBreak: "break-word" }}>{claim}</ListItem>
            ))}
          </List>
        </Box>
      )}
    </>
  );
}
