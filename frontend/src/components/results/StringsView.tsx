// The strings found in the binary, one page at a time from the server: search (debounced) by
// value or address, only the notable ones, sortable columns; each string's users are links to
// the functions that reference it and, for the notable ones, what the model thinks they mean.
// A link to a string (`?tab=strings&q=0x4020a0&sel=0x4020a0`) opens this view searched for it,
// its row selected.
import { Alert, FormControlLabel, Stack, Switch, Typography } from "@mui/material";
import { useCallback, useMemo, useState } from "react";
import { handleError } from "../../services/api/handleError";
import { useListStringsInfiniteQuery } from "../../services/api/resultsApi";
import type { ResultOverview, StringFilters, StringRow } from "../../types/Result.types";
import { hex } from "./format";
import { RefLinks } from "./RefLinks";
import { SearchField } from "./SearchField";
import { useSuggestedNames } from "./suggestedNames";
import { VirtualTable, type Column } from "./VirtualTable";

type StringSort = NonNullable<StringFilters["sort"]>;

export interface StringsViewProps {
  jobId: string;
  result: ResultOverview;
  /** The search the view opens with (from the URL). */
  initialSearch?: string;
  /** The address of the string to select. */
  selected?: number | null;
}

export function StringsView({ jobId, result, initialSearch = "", selected = null }: StringsViewProps) {
  const [search, setSearch] = useState(initialSearch.trim());
  const [suggested] = useSuggestedNames();
  const [sort, setSort] = useState<{ key: StringSort; order: "asc" | "desc" }>({ key: "address", order: "asc" });
  const list = useListStringsInfiniteQuery({ jobId, filters: { search: search || undefined, sort: sort.key, order: sort.order } });
  const rows = useMemo(() => list.data?.pages.flatMap((page) => page.data) ?? [], [list.data]);
  const count = list.data?.pages[0]?.count;
  const { fetchNextPage } = list;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);
  const error = result.explanation?.strings?.error;

  const columns = useMemo<Column<StringRow>[]>(
    () => [
      { key: "address", label: "Address", sortKey: "address", mono: true, render: (s) => hex(s.address) },
      { key: "value", label: "Value", sortKey: "value", mono: true, render: (s) => <span title={s.value}>{s.value}</span> },
      { key: "used", label: "Used by", sortKey: "references", render: (s) => <RefLinks refs={s.referenced_by} suggested={suggested} /> },
      { key: "meaning", label: "Interpretation", render: (s) => (s.kind ? `${s.kind}: ${s.interpretation ?? ""}` : "") },
    ],
    [suggested],
  );

  return (
    <>
      {error && <Alert severity="error" sx={{ mb: 2 }}>Strings not explained: {error.code}: {error.message}</Alert>}
      <Stack direction="row" spacing={2} sx={{ alignItems: "center", flexWrap: "wrap", rowGap: 1, mb: 1 }}>
        <SearchField label="Search strings" initial={initialSearch} onSearch={setSearch} />
        <FormControlLabel
          control={<Switch checked={sort.key === "references" && sort.order === "desc"} onChange={(e) => setSort(e.target.checked ? { key: "references", order: "desc" } : { key: "address", order: "asc" })} />}
          label="Most used first"
        />
        <Typography variant="body2" color="text.secondary" aria-live="polite">
          {count === undefined ? "Loading strings…" : `${count} of ${result.counts.strings} strings`}
        </Typography>
      </Stack>
      {list.error && <Alert severity="error">{handleError(list.error).message}</Alert>}
      <VirtualTable
        label="Strings"
        columns={columns}
        rows={rows}
        total={count}
        rowKey={(s) => s.address}
        selected={selected}
        hasMore={Boolean(list.hasNextPage)}
        loadingMore={list.isFetchingNextPage}
        onLoadMore={loadMore}
        sort={sort}
        onSort={(key) =>
          setSort((current) => ({ key: key as StringSort, order: current.key === key && current.order === "asc" ? "desc" : "asc" }))
        }
      />
    </>
  );
}
