// What the overview says about the explanation run's quality: the job's grounding score
// (weighted by claims, computed by the server) and which parts' explanations failed.
import { Alert } from "@mui/material";
import type { ResultOverview } from "../../types/Result.types";
import { percent } from "./GroundingChip";

type Explanation = NonNullable<ResultOverview["explanation"]>;

const PART_NAMES: Record<Explanation["failed_parts"][number], string> = {
  functions: "functions",
  imports: "imports (capabilities)",
  strings: "notable strings",
  program: "program summary",
};

/** The overview's "Grounding" row: `71% of 14 evidence claims found in their own function`. */
export function jobGroundingText(explanation: Explanation): string {
  if (explanation.grounding_score === null) return "no explanation cited checkable evidence";
  return `${percent(explanation.grounding_score)} of the evidence claims found in the function that makes them`;
}

/** An error alert naming the parts whose explanations failed (nothing when none did). */
export function FailedPartsAlert({ explanation }: { explanation: Explanation }) {
  if (explanation.failed_parts.length === 0) return null;
  const parts = explanation.failed_parts.map((part) =>
    part === "functions" ? `${explanation.failed} function${explanation.failed === 1 ? "" : "s"}` : PART_NAMES[part],
  );
  return (
    <Alert severity="error" aria-label="Failed explanations">
      {`Explanations failed for: ${parts.join(", ")} (${explanation.items_failed} of ${explanation.items_total} items).`}
    </Alert>
  );
}
