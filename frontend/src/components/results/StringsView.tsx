// The strings found in the binary with where they are used and, for the notable ones, what the
// model thinks they mean.
import { Alert, Table, TableBody, TableCell, TableContainer, TableHead, TableRow } from "@mui/material";
import type { JobResult } from "../../types/Job.types";
import { hex } from "./format";

export function StringsView({ result }: { result: JobResult }) {
  const strings = result.analysis.strings ?? [];
  const notable = new Map((result.explanation?.strings?.result?.strings ?? []).map((s) => [s.value, s]));
  const owner = new Map((result.analysis.functions ?? []).map((f) => [f.address, f.name]));
  const error = result.explanation?.strings?.error;
  const usedBy = (addresses: number[]) =>
    addresses.map((a) => owner.get(a) ?? hex(a)).join(", ") || "—";

  return (
    <>
      {error && <Alert severity="error" sx={{ mb: 2 }}>Strings not explained: {error.code}: {error.message}</Alert>}
      {strings.length === 0 && <Alert severity="info">No strings found.</Alert>}
      {strings.length > 0 && (
        <TableContainer sx={{ maxHeight: 560, overflow: "auto" }}>
          <Table size="small" stickyHeader aria-label="Strings">
            <TableHead>
              <TableRow>
                <TableCell>Address</TableCell>
                <TableCell>Value</TableCell>
                <TableCell>Used by</TableCell>
                <TableCell>Interpretation</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {strings.map((s) => {
                const meaning = notable.get(s.value);
                return (
                  <TableRow key={s.address}>
                    <TableCell sx={{ fontFamily: "monospace" }}>{hex(s.address)}</TableCell>
                    <TableCell sx={{ fontFamily: "monospace", wordBreak: "break-all" }}>{s.value}</TableCell>
                    <TableCell sx={{ fontFamily: "monospace" }}>{usedBy(s.referenced_by ?? [])}</TableCell>
                    <TableCell>{meaning ? `${meaning.kind}: ${meaning.interpretation}` : ""}</TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </TableContainer>
      )}
    </>
  );
}
