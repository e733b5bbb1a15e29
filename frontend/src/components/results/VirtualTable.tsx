// A table that renders only the rows in view (TanStack Virtual) and asks for the next page
// when the reader scrolls near the end of the loaded rows. Spacer rows above and below keep
// the scroll height of every loaded row, so the table stays one accessible <table>. Rows are
// memoized (a search, sort or selection re-renders only the rows whose data changed) and cell
// styles are one class on the container, not a style object per cell.
import { Table, TableBody, TableContainer } from "@mui/material";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef } from "react";
import { MemoHeader, MemoRow, ROW_HEIGHT, TABLE_SX, type Column } from "./tableParts";

export type { Column } from "./tableParts";

export interface VirtualTableProps<Row> {
  label: string;
  columns: Column<Row>[];
  rows: Row[];
  /** Rows matching on the server (the loaded ones are a prefix); for screen readers. */
  total?: number;
  rowKey: (row: Row) => string | number;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  sort?: { key: string; order: "asc" | "desc" };
  onSort?: (key: string) => void;
  selected?: string | number | null;
  /** CSS height of the scrolling area (a number is pixels). */
  height?: number | string;
}

/** Load the next page when the last rendered row is this close to the last loaded one. */
const LOAD_AHEAD = 20;

export function VirtualTable<Row>(props: VirtualTableProps<Row>) {
  const { label, columns, rows, rowKey, hasMore, loadingMore, onLoadMore, sort, onSort, selected } = props;
  const scroller = useRef<HTMLDivElement>(null);
  // The React Compiler would skip this component (useVirtualizer returns fresh functions each
  // render); the app is not built with the compiler, so the notice does not apply.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
  });
  const items = virtualizer.getVirtualItems();
  const last = items.length ? items[items.length - 1].index : -1;

  useEffect(() => {
    if (hasMore && !loadingMore && last >= rows.length - LOAD_AHEAD) onLoadMore();
  }, [hasMore, loadingMore, last, rows.length, onLoadMore]);

  const top = items.length ? items[0].start : 0;
  const bottom = items.length ? virtualizer.getTotalSize() - items[items.length - 1].end : 0;
  const spacer = (height: number, key: string) =>
    height > 0 ? (
      <tr key={key} aria-hidden="true">
        <td colSpan={columns.length} style={{ height, padding: 0, border: 0 }} />
      </tr>
    ) : null;

  return (
    <TableContainer ref={scroller} sx={{ height: props.height ?? 520, overflow: "auto", ...TABLE_SX }}>
      <Table size="small" stickyHeader aria-label={label} aria-rowcount={(props.total ?? rows.length) + 1}>
        <MemoHeader columns={columns} sort={sort} onSort={onSort} />
        <TableBody>
          {spacer(top, "above")}
          {items.map((item) => {
            const row = rows[item.index];
            const key = rowKey(row);
            return <MemoRow key={key} row={row} index={item.index} columns={columns} selected={key === selected} />;
          })}
          {spacer(bottom, "below")}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
