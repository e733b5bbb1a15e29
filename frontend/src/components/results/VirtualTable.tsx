// A table that renders only the rows in view (TanStack Virtual) and asks for the next page
// when the reader scrolls near the end of the loaded rows. Spacer rows above and below keep
// the scroll height of every loaded row, so the table stays one accessible <table>. Rows are
// memoized (a search, sort or selection re-renders only the rows whose data changed) and cell
// styles are one class on the container, not a style object per cell.
import {
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  TableSortLabel,
} from "@mui/material";
import { useVirtualizer } from "@tanstack/react-virtual";
import { memo, useEffect, useRef, type ReactNode } from "react";
import { SUGGESTED_SX } from "./NameText";

export interface Column<Row> {
  key: string;
  label: string;
  align?: "left" | "right";
  /** The server's sort key for this column; unsortable when absent. */
  sortKey?: string;
  render: (row: Row) => ReactNode;
  mono?: boolean;
}

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

const ROW_HEIGHT = 37;
/** Load the next page when the last rendered row is this close to the last loaded one. */
const LOAD_AHEAD = 20;

interface RowProps<Row> {
  row: Row;
  index: number;
  columns: Column<Row>[];
  selected: boolean;
}

function TableRowView<Row>({ row, index, columns, selected }: RowProps<Row>) {
  return (
    <TableRow hover selected={selected} aria-rowindex={index + 2} data-index={index}>
      {columns.map((column) => (
        <TableCell key={column.key} align={column.align ?? "left"} className={column.mono ? "mono" : undefined}>
          {column.render(row)}
        </TableCell>
      ))}
    </TableRow>
  );
}

const MemoRow = memo(TableRowView) as typeof TableRowView;

const BODY_SX = {
  "& tbody tr[data-index]": { height: ROW_HEIGHT },
  "& tbody a.xref": { color: "primary.main", fontFamily: "monospace" },
  ...SUGGESTED_SX,
  "& tbody td": { whiteSpace: "nowrap", overflow: "hidden", textOverflow: "ellipsis", maxWidth: 480 },
  "& tbody td.mono": { fontFamily: "monospace" },
} as const;

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
    overscan: 10,
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
      <TableRow key={key} aria-hidden="true">
        <TableCell colSpan={columns.length} sx={{ height, p: 0, border: 0 }} />
      </TableRow>
    ) : null;

  return (
    <TableContainer ref={scroller} sx={{ height: props.height ?? 520, overflow: "auto", ...BODY_SX }}>
      <Table size="small" stickyHeader aria-label={label} aria-rowcount={(props.total ?? rows.length) + 1}>
        <TableHead>
          <TableRow>
            {columns.map((column) => {
              const active = sort?.key === column.sortKey;
              return (
                <TableCell
                  key={column.key}
                  align={column.align ?? "left"}
                  sortDirection={active && sort ? sort.order : false}
                >
                  {column.sortKey && onSort ? (
                    <TableSortLabel
                      active={active}
                      direction={active && sort ? sort.order : "asc"}
                      onClick={() => onSort(column.sortKey as string)}
                    >
                      {column.label}
                    </TableSortLabel>
                  ) : (
                    column.label
                  )}
                </TableCell>
              );
            })}
          </TableRow>
        </TableHead>
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
