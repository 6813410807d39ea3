import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { EmptyState } from "./empty";
import { Table, type Column } from "./table";

type Row = { id: string; name: string; checks: number };
const columns: Column<Row>[] = [
  { header: "Name", className: "font-mono", cell: (r) => r.name },
  { header: "Checks", align: "right", cellProps: (r) => ({ "data-testid": `checks-${r.id}`, title: `${r.checks} checks` }), cell: (r) => r.checks },
  { header: "", cell: () => "act" },
];

function render(props: Partial<Parameters<typeof Table<Row>>[0]> & { rows: Row[] }): string {
  return renderToStaticMarkup(createElement(Table<Row>, { columns, rowKey: (r) => r.id, empty: "Nothing yet.", ...props }));
}

describe("Table", () => {
  it("draws a header cell per column and a row per item, inside its own sideways-scrolling box", () => {
    const html = render({ rows: [{ id: "a", name: "web", checks: 3 }], "data-testid": "things", rowProps: (r) => ({ "data-testid": `row-${r.id}` }) });
    expect(html).toMatch(/^<div class="-mx-2 overflow-x-auto px-2"><table class="w-full text-left text-sm" data-testid="things">/);
    expect(html.match(/<th scope="col"/g)).toHaveLength(3);
    expect(html).toContain('<th scope="col" class="py-2 pr-4 font-medium last:pr-0 max-sm:whitespace-nowrap text-right">Checks</th>');
    expect(html).toContain('<tr data-testid="row-a">');
    expect(html).toContain('<td class="py-2 pr-4 last:pr-0 max-sm:whitespace-nowrap font-mono">web</td>');
    expect(html).toContain('<td data-testid="checks-a" title="3 checks" class="py-2 pr-4 last:pr-0 max-sm:whitespace-nowrap text-right">3</td>');
  });

  it("shows a string empty state as a muted line and an element as given, instead of the table", () => {
    expect(render({ rows: [] })).toBe('<p class="text-sm text-slate-500">Nothing yet.</p>');
    const html = render({ rows: [], empty: createElement(EmptyState, { title: "No servers yet" }) });
    expect(html).toContain("No servers yet");
    expect(html).not.toContain("<table");
  });

  it("is a card of its own when framed", () => {
    const html = render({ rows: [{ id: "a", name: "web", checks: 3 }], variant: "framed" });
    expect(html).toMatch(/^<div class="min-w-0 rounded-xl bg-white shadow-sm ring-1 ring-slate-200 overflow-x-auto">/);
    expect(html).toContain('<td class="px-4 py-2 max-sm:whitespace-nowrap font-mono">web</td>');
  });
});
