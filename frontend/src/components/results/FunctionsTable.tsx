// The recovered functions: search by name or summary, sort by address, size, callers or
// callees, hide library/runtime code; choosing a row opens the function.
import {
  FormControlLabel,
  Link,
  Stack,
  Switch,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  TableSortLabel,
  TextField,
  Typography,
} from "@mui/material";
import { useMemo, useState } from "react";
import type { AnalyzedFunction, FunctionResult } from "../../types/Job.types";
import { hex } from "./format";

type SortKey = "address" | "size" | "callers" | "callees";
const COLUMNS: { key: SortKey; label: string }[] = [
  { key: "address", label: "Address" },
  { key: "size", label: "Size (bytes)" },
  { key: "callers", label: "Called by" },
  { key: "callees", label: "Calls" },
];

function sortValue(fn: AnalyzedFunction, key: SortKey): number {
  if (key === "callers") return fn.callers?.length ?? 0;
  if (key === "callees") return fn.callees?.length ?? 0;
  return fn[key];
}

export interface FunctionsTableProps {
  functions: AnalyzedFunction[];
  explanations: Map<number, FunctionResult>;
  selected: number | null;
  onSelect: (fn: AnalyzedFunction) => void;
}

export function FunctionsTable({ functions, explanations, selected, onSelect }: FunctionsTableProps) {
  const [query, setQuery] = useState("");
  const [hideLibrary, setHideLibrary] = useState(true);
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: "address", desc: false });

  const rows = useMemo(() => {
    const needle = query.trim().toLowerCase();
    const summary = (fn: AnalyzedFunction) => explanations.get(fn.address)?.explanation?.summary ?? "";
    return functions
      .filter((fn) => !hideLibrary || !fn.is_library)
      .filter((fn) => !needle || fn.name.toLowerCase().includes(needle) || summary(fn).toLowerCase().includes(needle))
      .sort((a, b) => (sortValue(a, sort.key) - sortValue(b, sort.key)) * (sort.desc ? -1 : 1));
  }, [functions, explanations, query, hideLibrary, sort]);
  const hidden = functions.filter((fn) => fn.is_library).length;

  return (
    <>
      <Stack direction="row" spacing={2} sx={{ alignItems: "center", flexWrap: "wrap", rowGap: 1, mb: 1 }}>
        <TextField size="small" type="search" label="Search functions" value={query} onChange={(e) => setQuery(e.target.value)} />
        <FormControlLabel
          control={<Switch checked={hideLibrary} onChange={(e) => setHideLibrary(e.target.checked)} />}
          label={`Hide library code (${hidden})`}
        />
        <Typography variant="body2" color="text.secondary" aria-live="polite">
          {rows.length} of {functions.length} functions
        </Typography>
      </Stack>
      <TableContainer sx={{ maxHeight: 420, overflow: "auto" }}>
        <Table size="small" stickyHeader aria-label="Functions">
          <TableHead>
            <TableRow>
              <TableCell>Name</TableCell>
              {COLUMNS.map(({ key, label }) => (
                <TableCell key={key} align={key === "address" ? "left" : "right"} sortDirection={sort.key === key ? (sort.desc ? "desc" : "asc") : false}>
                  <TableSortLabel
                    active={sort.key === key}
                    direction={sort.key === key && sort.desc ? "desc" : "asc"}
                    onClick={() => setSort({ key, desc: sort.key === key ? !sort.desc : key !== "address" })}
                  >
                    {label}
                  </TableSortLabel>
                </TableCell>
              ))}
              <TableCell>Summary</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map((fn) => (
              <TableRow key={fn.address} hover selected={fn.address === selected}>
                <TableCell sx={{ fontFamily: "monospace" }}>
                  <Link component="button" type="button" onClick={() => onSelect(fn)} sx={{ fontFamily: "monospace", textAlign: "left", whiteSpace: "nowrap" }}>
                    {fn.name}
                  </Link>
                </TableCell>
                <TableCell sx={{ fontFamily: "monospace" }}>{hex(fn.address)}</TableCell>
                <TableCell align="right">{fn.size}</TableCell>
                <TableCell align="right">{fn.callers?.length ?? 0}</TableCell>
                <TableCell align="right">{fn.callees?.length ?? 0}</TableCell>
                <TableCell>{explanations.get(fn.address)?.explanation?.summary ?? ""}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
    </>
  );
}
