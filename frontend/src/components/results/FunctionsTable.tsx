// The recovered functions, one page at a time from the server: search by name, address or
// summary (debounced, in its own field), sort by any sortable column, hide library/runtime code,
// show only the failed ones; a function's name is a link that opens it (its detail prefetched
// on hover). `compact` keeps name, address and size (the list beside an open function). With
// "Suggested names" on, names show the model's suggestions, marked. An explanation that may have
// obeyed prompt injection (`suspect_injection`) is marked in its summary.
import { Chip, Stack, Typography } from "@mui/material";
import { useCallback, useMemo, useState } from "react";
import { Link as RouterLink } from "react-router-dom";
import { handleError } from "../../services/api/handleError";
import { resultsApi, useListFunctionsInfiniteQuery } from "../../services/api/resultsApi";
import type { FunctionRow, FunctionSort, SortOrder } from "../../types/Result.types";
import { hex } from "./format";
import { targetSearch } from "./links";
import { displayName, NameText } from "./NameText";
import { SearchField, Toggle } from "./SearchField";
import { useSuggestedNames } from "./suggestedNames";
import { VirtualTable, type Column } from "./VirtualTable";

export interface FunctionsTableProps {
  jobId: string;
  selected: number | null;
  /** Only name, address and size. */
  compact?: boolean;
  height?: number | string;
}

const COMPACT = new Set(["name", "address", "size"]);
const ASCENDING = new Set<string>(["address", "name", "category"]);

function useColumns(jobId: string, compact: boolean): Column<FunctionRow>[] {
  const [suggested] = useSuggestedNames();
  const prefetch = resultsApi.usePrefetch("getFunction");
  return useMemo(() => {
    const all: Column<FunctionRow>[] = [
      {
        key: "name",
        label: "Name",
        sortKey: "name",
        mono: true,
        render: (fn) => (
          <RouterLink
            className="xref"
            to={{ search: targetSearch({ kind: "function", address: fn.address }) }}
            aria-label={`Open function ${displayName({ name: fn.name, suggested: fn.suggested_name, applied: suggested }).text} at ${hex(fn.address)}`}
            onMouseEnter={() => prefetch({ jobId, address: hex(fn.address) })}
            onFocus={() => prefetch({ jobId, address: hex(fn.address) })}
          >
            <NameText name={fn.name} suggested={fn.suggested_name} applied={suggested} />
          </RouterLink>
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
    return compact ? all.filter((c) => COMPACT.has(c.key)) : all;
  }, [jobId, compact, suggested, prefetch]);
}

export function FunctionsTable({ jobId, selected, compact = false, height }: FunctionsTableProps) {
  const [search, setSearch] = useState("");
  const [hideLibrary, setHideLibrary] = useState(true);
  const [failedOnly, setFailedOnly] = useState(false);
  const [sort, setSort] = useState<{ key: FunctionSort; order: SortOrder }>({ key: "address", order: "asc" });
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
  const onSort = useCallback(
    (key: string) =>
      setSort((current) => ({
        key: key as FunctionSort,
        order: current.key === key ? (current.order === "asc" ? "desc" : "asc") : ASCENDING.has(key) ? "asc" : "desc",
      })),
    [],
  );
  const columns = useColumns(jobId, compact);

  return (
    <>
      <Stack direction="row" spacing={2} sx={{ alignItems: "center", flexWrap: "wrap", rowGap: 1, mb: 1 }}>
        <SearchField label="Search functions" onSearch={setSearch} />
        <Toggle label="Hide library code" checked={hideLibrary} onChange={setHideLibrary} />
        <Toggle label="Failed only" checked={failedOnly} onChange={setFailedOnly} />
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
        rowKey={rowKey}
        selected={selected}
        hasMore={Boolean(list.hasNextPage)}
        loadingMore={list.isFetchingNextPage}
        onLoadMore={loadMore}
        sort={sort}
        onSort={onSort}
        height={height}
      />
    </>
  );
}

const rowKey = (fn: FunctionRow) => fn.address;
