// The recovered functions, one page at a time from the server: search by name, address or
// summary (debounced), sort by any sortable column, hide library/runtime code, show only the
// failed ones; choosing a row opens the function. An explanation that may have obeyed prompt
// injection (`suspect_injection`) is marked in its summary.
import { Chip, FormControlLabel, Link, Stack, Switch, TextField, Typography } from "@mui/material";
import { useCallback, useMemo, useState } from "react";
import { handleError } from "../../services/api/handleError";
import { useListFunctionsInfiniteQuery } from "../../services/api/resultsApi";
import type { FunctionRow, FunctionSort, SortOrder } from "../../types/Result.types";
import { hex } from "./format";
import { useDebounced } from "./useDebounced";
import { VirtualTable, type Column } from "./VirtualTable";

export interface FunctionsTableProps {
  jobId: string;
  selected: number | null;
  onSelect: (address: number) => void;
  height?: number;
}

export function FunctionsTable({ jobId, selected, onSelect, height }: FunctionsTableProps) {
  const [query, setQuery] = useState("");
  const [hideLibrary, setHideLibrary] = useState(true);
  const [failedOnly, setFailedOnly] = useState(false);
  const [sort, setSort] = useState<{ key: FunctionSort; order: SortOrder }>({ key: "address", order: "asc" });
  const search = useDebounced(query.trim());
  const list = useListFunctionsInfiniteQuery({
    jobId,
    filters: {
      search: search || undefined,
      library: hideLibrary ? false : undefined,
      failed: failedOnly ? true : undefined,
      sort: sort.key,
      order: sort.order,
    },
  });
  const rows = useMemo(() => list.data?.pages.flatMap((page) => page.data) ?? [], [list.data]);
  const count = list.data?.pages[0]?.count;
  const { fetchNextPage } = list;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);

  const columns: Column<FunctionRow>[] = [
    {
      key: "name",
      label: "Name",
      sortKey: "name",
      mono: true,
      render: (fn) => (
        <Link component="button" type="button" onClick={() => onSelect(fn.address)} sx={{ fontFamily: "monospace", textAlign: "left" }}>
          {fn.name}
        </Link>
      ),
    },
    { key: "address", label: "Address", sortKey: "address", mono: true, render: (fn) => hex(fn.address) },
    { key: "size", label: "Size (bytes)", sortKey: "size", align: "right", render: (fn) => fn.size },
    { key: "callers", label: "Called by", sortKey: "callers", align: "right", render: (fn) => fn.caller_count },
    { key: "callees", label: "Calls", sortKey: "callees", align: "right", render: (fn) => fn.callee_count },
    { key: "category", label: "Category", sortKey: "category", render: (fn) => fn.category ?? "" },
    {
      key: "summary",
      label: "Summary",
      render: (fn) => (
        <>
          {fn.suspect_injection && (
            <Chip size="small" color="error" variant="outlined" label="suspect: prompt injection" title={fn.injection_reasons.join("; ")} sx={{ mr: 1 }} />
          )}
          {fn.summary ?? (fn.decompile_error ? "decompilation failed" : "")}
        </>
      ),
    },
  ];

  return (
    <>
      <Stack direction="row" spacing={2} sx={{ alignItems: "center", flexWrap: "wrap", rowGap: 1, mb: 1 }}>
        <TextField size="small" type="search" label="Search functions" value={query} onChange={(e) => setQuery(e.target.value)} />
        <FormControlLabel control={<Switch checked={hideLibrary} onChange={(e) => setHideLibrary(e.target.checked)} />} label="Hide library code" />
        <FormControlLabel control={<Switch checked={failedOnly} onChange={(e) => setFailedOnly(e.target.checked)} />} label="Failed only" />
        <Typography variant="body2" color="text.secondary" aria-live="polite">
          {count === undefined ? "Loading functions…" : `${count} functions`}
        </Typography>
      </Stack>
      {list.error && <Typography color="error">{handleError(list.error).message}</Typography>}
      <VirtualTable
        label="Functions"
        columns={columns}
        rows={rows}
        total={count}
        rowKey={(fn) => fn.address}
        selected={selected}
        hasMore={Boolean(list.hasNextPage)}
        loadingMore={list.isFetchingNextPage}
        onLoadMore={loadMore}
        sort={sort}
        onSort={(key) =>
          setSort((current) => ({
            key: key as FunctionSort,
            order: current.key === key ? (current.order === "asc" ? "desc" : "asc") : key === "address" || key === "name" || key === "category" ? "asc" : "desc",
          }))
        }
        height={height}
      />
    </>
  );
}
