import type { FieldRow, OperationView } from "@/lib/openapi/reference";
import { Card } from "../ui/card";
import { Table } from "../ui/table";

const METHOD_TONES: Record<string, string> = {
  GET: "bg-sky-50 text-sky-700 ring-sky-200",
  POST: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  PATCH: "bg-amber-50 text-amber-800 ring-amber-200",
  DELETE: "bg-rose-50 text-rose-700 ring-rose-200",
};

function Fields({ title, rows }: { title: string; rows: FieldRow[] }) {
  if (rows.length === 0) return null;
  return (
    <div className="mt-4">
      <h4 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</h4>
      <Table
        variant="dense"
        rows={rows}
        rowKey={(f) => f.name}
        rowProps={(f) => ({ "data-testid": `field-${f.name}` })}
        empty={null}
        columns={[
          { header: "Name", className: "break-all font-mono", cell: (f) => f.name },
          { header: "Type", cell: (f) => f.type },
          { header: "Required", cell: (f) => (f.required ? <span className="font-semibold text-slate-900">required</span> : <span className="text-slate-400">optional</span>) },
          { header: "Notes", className: "break-all text-slate-500", cell: (f) => f.notes.join("; ") },
        ]}
      />
    </div>
  );
}

/** One route: who may call it, what it takes, what it answers, and a curl line to start from. */
export function OperationCard({ op }: { op: OperationView }) {
  return (
    <Card as="article" id={op.anchor} data-testid={`op-${op.anchor}`} className="scroll-mt-4">
      <header className="flex flex-wrap items-center gap-3">
        <span className={`rounded px-2 py-0.5 font-mono text-xs font-semibold ring-1 ring-inset ${METHOD_TONES[op.method] ?? "bg-slate-50 text-slate-700 ring-slate-200"}`}>{op.method}</span>
        <code className="min-w-0 break-all font-mono text-sm font-semibold">{op.path}</code>
        <span className="ml-auto rounded bg-slate-100 px-2 py-0.5 text-xs text-slate-600" data-testid="op-role">
          {op.role ? `role: ${op.role}` : "no authentication"}
        </span>
      </header>
      <p className="mt-2 font-medium">{op.summary}</p>
      {op.description
        .split("\n\n")
        .filter((p) => !p.startsWith("Role:") && p !== "No authentication.")
        .map((p) => (
          <p key={p} className="mt-1 text-sm text-slate-600">
            {p}
          </p>
        ))}
      <Fields title="Path parameters" rows={op.pathParams} />
      <Fields title="Query parameters" rows={op.queryParams} />
      {op.body?.map((variant, i) => (
        <div key={variant.title ?? i}>
          <Fields title={variant.title ? `JSON body (${variant.title})` : "JSON body"} rows={variant.fields} />
          {variant.open && variant.fields.length === 0 ? <p className="mt-4 text-sm text-slate-600">JSON body: any of the fields described above.</p> : null}
        </div>
      ))}
      <div className="mt-4">
        <h4 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Responses</h4>
        <ul className="text-sm">
          {op.responses.map((r) => (
            <li key={r.status}>
              <span className="font-mono text-xs font-semibold">{r.status}</span> <span className="text-slate-600">{r.description}</span>
            </li>
          ))}
        </ul>
      </div>
      {/* A long command scrolls sideways: focusable, so the keyboard can scroll it too. */}
      <pre tabIndex={0} className="mt-4 overflow-x-auto rounded-lg bg-slate-900 p-3 text-xs text-slate-100" data-testid="op-curl">
        {op.curl}
      </pre>
    </Card>
  );
}
