import type { ReactNode } from "react";
import { cardClass } from "./card";
import { classes } from "./classes";
import { EmptyLine } from "./empty";

type DataAttributes = { [key: `data-${string}`]: string | undefined };
export type RowProps = { className?: string } & DataAttributes;
export type CellProps = { className?: string; title?: string } & DataAttributes;

export interface ColumnHeader {
  /** Header text; "" for a column of row actions. */
  header: ReactNode;
  align?: "left" | "right";
}

export interface Column<Row> extends ColumnHeader {
  cell: (row: Row) => ReactNode;
  /** Classes of every cell of the column (font-mono, text-xs …). */
  className?: string;
  /** Per-row attributes of the cell: a tone that depends on the value, a title, a data-testid. */
  cellProps?: (row: Row) => CellProps;
}

/**
 * "plain" sits inside a card or Section; "framed" is a card of its own; "dense" is a small reference table
 * (the fields of an API route). Colours and borders of every table are here.
 */
export type TableVariant = "plain" | "framed" | "dense";

// A table inside a card scrolls in a box reaching 0.5rem into the card's padding, so the ring and focus
// outline of a button in the first or last column are not clipped by the scrolling.
const INSET_BOX = "-mx-2 overflow-x-auto px-2";
// On a phone a cell keeps to one line and the table scrolls in its box: a date in four lines reads worse.
const PHONE = "max-sm:whitespace-nowrap";

const LOOK: Record<TableVariant, { box: string; head: string; th: string; td: string; body: string }> = {
  plain: { box: INSET_BOX, head: "text-slate-500", th: `py-2 pr-4 font-medium last:pr-0 ${PHONE}`, td: `py-2 pr-4 last:pr-0 ${PHONE}`, body: "divide-y divide-slate-100" },
  framed: { box: cardClass("none", "overflow-x-auto"), head: "border-b border-slate-200 text-slate-500", th: `px-4 py-2 font-medium ${PHONE}`, td: `px-4 py-2 ${PHONE}`, body: "divide-y divide-slate-100" },
  dense: { box: INSET_BOX, head: "text-xs text-slate-500", th: "py-1 pr-4 font-medium last:pr-0", td: "py-1.5 pr-4 text-xs last:pr-0", body: "divide-y divide-slate-100 align-top" },
};

const ALIGN = { left: "", right: "text-right" } as const;

/** The classes of one body cell, for rows drawn by a client component (TableShell's children). */
export function tableCellClass(variant: TableVariant = "plain", align: ColumnHeader["align"] = "left", className?: string): string {
  return classes(LOOK[variant].td, ALIGN[align], className);
}

type ShellProps = { columns: ColumnHeader[]; variant?: TableVariant; className?: string; "data-testid"?: string; children: ReactNode };

/**
 * The table without its rows: header cells and a box that scrolls sideways, so a wide table never widens
 * the page. Table fills it from data; a client row that keeps state across its cells (a user's role,
 * password and access) is passed as children.
 */
export function TableShell({ columns, variant = "plain", className, children, "data-testid": testId }: ShellProps) {
  const look = LOOK[variant];
  return (
    <div className={classes(look.box, className)}>
      <table className="w-full text-left text-sm" data-testid={testId}>
        <thead className={look.head}>
          <tr>
            {columns.map((c, i) => (
              <th key={i} scope="col" className={classes(look.th, ALIGN[c.align ?? "left"])}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className={look.body}>{children}</tbody>
      </table>
    </div>
  );
}

type TableProps<Row> = Omit<ShellProps, "columns" | "children"> & {
  columns: Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  rowProps?: (row: Row) => RowProps;
  /** Shown instead of the table when there are no rows: a string as a muted line, or any element (an EmptyState). */
  empty: ReactNode;
};

/** Rows of data under column headers, or the empty state when there are none. */
export function Table<Row>({ columns, rows, rowKey, rowProps, empty, variant = "plain", ...shell }: TableProps<Row>) {
  if (rows.length === 0) return typeof empty === "string" ? <EmptyLine className={shell.className}>{empty}</EmptyLine> : <>{empty}</>;
  return (
    <TableShell columns={columns} variant={variant} {...shell}>
      {rows.map((row) => {
        const props = rowProps?.(row);
        return (
          <tr key={rowKey(row)} {...props}>
            {columns.map((c, i) => {
              const cell = c.cellProps?.(row);
              return (
                <td key={i} {...cell} className={tableCellClass(variant, c.align, classes(c.className, cell?.className))}>
                  {c.cell(row)}
                </td>
              );
            })}
          </tr>
        );
      })}
    </TableShell>
  );
}
