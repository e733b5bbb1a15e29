// The imports: what the model says about them (summary, capabilities with their purpose) above a
// table fed one page at a time by the server, searchable (debounced) and filtered by capability;
// each import's callers are links to the functions that call it. A link to an import
// (`?tab=imports&q=strlen&sel=strlen`) opens this view searched for it, its row selected.
import { Alert, MenuItem, Paper, Stack, TextField, Typography } from "@mui/material";
import { useCallback, useMemo, useState } from "react";
import { handleError } from "../../services/api/handleError";
import { useListImportsInfiniteQuery } from "../../services/api/resultsApi";
import type { ImportFilters, ImportRow, ResultOverview } from "../../types/Result.types";
import { hex } from "./format";
import { RefLinks } from "./RefLinks";
import { SearchField } from "./SearchField";
import { useSuggestedNames } from "./suggestedNames";
import { VirtualTable, type Column } from "./VirtualTable";

type Capability = NonNullable<ImportFilters["capability"]>;
type ImportSort = NonNullable<ImportFilters["sort"]>;

export interface ImportsViewProps {
  jobId: string;
  result: ResultOverview;
  /** The search the view opens with (from the URL). */
  initialSearch?: string;
  /** The name of the import to select. */
  selected?: string | null;
}

const importKey = (i: ImportRow) => `${i.library ?? ""}:${i.name}`;

export function ImportsView({ jobId, result, initialSearch = "", selected = null }: ImportsViewProps) {
  const explained = result.explanation?.imports;
  const capabilities = explained?.result?.capabilities ?? [];
  const kinds = [...new Set(capabilities.map((c) => c.kind))] as Capability[];
  const [search, setSearch] = useState(initialSearch.trim());
  const [suggested] = useSuggestedNames();
  const [capability, setCapability] = useState<Capability | "">("");
  const [sort, setSort] = useState<{ key: ImportSort; order: "asc" | "desc" }>({ key: "name", order: "asc" });
  const list = useListImportsInfiniteQuery({
    jobId,
    filters: { search: search || undefined, capability: capability || undefined, sort: sort.key, order: sort.order },
  });
  const rows = useMemo(() => list.data?.pages.flatMap((page) => page.data) ?? [], [list.data]);
  const count = list.data?.pages[0]?.count;
  const { fetchNextPage } = list;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);

  const columns = useMemo<Column<ImportRow>[]>(
    () => [
      { key: "name", label: "Name", sortKey: "name", mono: true, render: (i) => i.name },
      { key: "library", label: "Library", sortKey: "library", mono: true, render: (i) => i.library ?? "" },
      { key: "address", label: "Address", sortKey: "address", mono: true, render: (i) => (i.address === null ? "" : hex(i.address)) },
      { key: "capabilities", label: "Capabilities", render: (i) => i.capabilities.map((c) => c.replaceAll("_", " ")).join(", ") },
      { key: "callers", label: "Called by", sortKey: "references", render: (i) => <RefLinks refs={i.referenced_by} suggested={suggested} /> },
    ],
    [suggested],
  );
  const selectedRow = selected === null ? undefined : rows.find((i) => i.name === selected);

  if (result.counts.imports === 0) return <Alert severity="info">No imports: the binary is static or imports nothing.</Alert>;
  return (
    <Stack spacing={2}>
      {explained?.result?.summary && <Typography>{explained.result.summary}</Typography>}
      {explained?.error && <Alert severity="error">Imports not explained: {explained.error.code}: {explained.error.message}</Alert>}
      {capabilities.map((c, i) => (
        <Paper key={i} variant="outlined" sx={{ p: 2 }} component="section" aria-label={`Capability ${c.kind}`}>
          <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600 }}>{c.kind.replaceAll("_", " ")}</Typography>
          <Typography variant="body2">{c.purpose}</Typography>
          <Typography variant="body2" sx={{ fontFamily: "monospace" }}>{c.imports.join(", ")}</Typography>
        </Paper>
      ))}
      <Stack direction="row" spacing={2} sx={{ alignItems: "center", flexWrap: "wrap", rowGap: 1 }}>
        <SearchField label="Search imports" initial={initialSearch} onSearch={setSearch} />
        {kinds.length > 0 && (
          <TextField select size="small" label="Capability" value={capability} onChange={(e) => setCapability(e.target.value as Capability | "")} sx={{ minWidth: 160 }}>
            <MenuItem value="">any</MenuItem>
            {kinds.map((kind) => <MenuItem key={kind} value={kind}>{kind.replaceAll("_", " ")}</MenuItem>)}
          </TextField>
        )}
        <Typography variant="body2" color="text.secondary" aria-live="polite">
          {count === undefined ? "Loading imports…" : `${count} of ${result.counts.imports} imports`}
        </Typography>
      </Stack>
      {list.error && <Alert severity="error">{handleError(list.error).message}</Alert>}
      <VirtualTable
        label="Imports"
        columns={columns}
        rows={rows}
        total={count}
        rowKey={importKey}
        selected={selectedRow ? importKey(selectedRow) : null}
        hasMore={Boolean(list.hasNextPage)}
        loadingMore={list.isFetchingNextPage}
        onLoadMore={loadMore}
        sort={sort}
        onSort={(key) =>
          setSort((current) => ({ key: key as ImportSort, order: current.key === key && current.order === "asc" ? "desc" : "asc" }))
        }
        height={400}
      />
    </Stack>
  );
}
