// The pieces of `VirtualTable`: its column type, the memoized header (sort labels), the
// memoized body row (plain <tr>/<td>, styled by the container's TABLE_SX rather than one MUI
// style computation per cell: a sort or search re-renders dozens of rows at once).
import { TableCell, TableHead, TableRow, TableSortLabel } from "@mui/material";
import { memo, type ReactNode } from "react";
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

export const ROW_HEIGHT = 37;

export const TABLE_SX = {
  "& tbody tr[data-index]": { height: ROW_HEIGHT },
  "& tbody tr[data-index]:hover": { bgcolor: "action.hover" },
  "& tbody tr.Mui-selected": { bgcolor: "action.selected" },
  "& tbody td": {
    px: 2, py: 0.75, borderBottom: 1, borderColor: "divider", fontSize: "0.875rem", lineHeight: 1.43,
    whiteSpace: "nowrap", overflow: "hidden", textOverflow: "ellipsis", maxWidth: 480,
  },
  "& tbody td.right": { textAlign: "right" },
  "& tbody td.mono": { fontFamily: "monospace" },
  "& tbody a.xref": { color: "primary.main", fontFamily: "monospace" },
  ...SUGGESTED_SX,
} as const;

interface RowProps<Row> {
  row: Row;
  index: number;
  columns: Column<Row>[];
  selected: boolean;
}

function BodyRow<Row>({ row, index, columns, selected }: RowProps<Row>) {
  return (
    <tr aria-rowindex={index + 2} data-index={index} className={selected ? "Mui-selected" : undefined} aria-selected={selected || undefined}>
      {columns.map((column) => (
        <td key={column.key} className={[column.mono && "mono", column.align === "right" && "right"].filter(Boolean).join(" ") || undefined}>
          {column.render(row)}
        </td>
      ))}
    </tr>
  );
}

export const MemoRow = memo(BodyRow) as typeof BodyRow;

interface HeaderProps<Row> {
  columns: Column<Row>[];
  sort?: { key: string; order: "asc" | "desc" };
  onSort?: (key: string) => void;
}

function Header<Row>({ columns, sort, onSort }: HeaderProps<Row>) {
  return (
    <TableHead>
      <TableRow>
        {columns.map((column) => {
          const active = sort?.key === column.sortKey;
          return (
            <TableCell key={column.key} align={column.align ?? "left"} sortDirection={active && sort ? sort.order : false}>
              {column.sortKey && onSort ? (
                <TableSortLabel active={active} direction={active && sort ? sort.order : "asc"} onClick={() => onSort(column.sortKey as string)}>
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
  );
}

export const MemoHeader = memo(Header) as typeof Header;
