// A running job's counters, each "N of M" with M the number the job chose (functions to
// decompile, explanation items); a counter appears once its stage has chosen M, never "N of 0".
import { Typography } from "@mui/material";
import type { JobPublic } from "../../types/Job.types";

export function JobCounts({ counts }: { counts: JobPublic["counts"] }) {
  const parts: string[] = [];
  if (counts.functions_selected > 0) {
    parts.push(`${counts.functions_decompiled} of ${counts.functions_selected} functions decompiled`);
  }
  if (counts.items_total > 0) {
    const failed = counts.items_failed ? `, ${counts.items_failed} failed` : "";
    parts.push(`${counts.items_done} of ${counts.items_total} explanations done${failed}`);
  }
  if (parts.length === 0) return null;
  return (
    <Typography variant="body2" color="text.secondary">
      {parts.join(" · ")}
    </Typography>
  );
}
