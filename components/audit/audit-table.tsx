import Link from "next/link";
import type { ReactNode } from "react";
import type { AuditEventRow } from "@/lib/queries/audit";
import { Table } from "../ui/table";
import { LocalTime } from "../ui/local-time";
import { deployLinkFor } from "./links";

const OUTCOME_STYLE: Record<AuditEventRow["outcome"], string> = {
  success: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  failure: "bg-amber-50 text-amber-800 ring-amber-200",
  denied: "bg-rose-50 text-rose-700 ring-rose-200",
};

function scalar(v: unknown): string {
  if (v === null || v === undefined) return "–";
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}

/** "role: deployer → admin" for before/after summaries, "key: value" pairs otherwise, kept to one short line. */
export function describeSummary(summary: unknown): string {
  if (!summary || typeof summary !== "object" || Array.isArray(summary)) return summary == null ? "" : scalar(summary);
  const { before, after, ...rest } = summary as Record<string, unknown>;
  const parts: string[] = [];
  if (before && after && typeof before === "object" && typeof after === "object") {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const k of keys) parts.push(`${k}: ${scalar((before as Record<string, unknown>)[k])} → ${scalar((after as Record<string, unknown>)[k])}`);
  }
  for (const [k, v] of Object.entries(rest)) parts.push(`${k}: ${scalar(v)}`);
  const line = parts.join(", ");
  return line.length > 160 ? line.slice(0, 159) + "…" : line;
}

function Target({ event }: { event: AuditEventRow }) {
  const deployLink = deployLinkFor(event);
  return (
    <>
      {event.targetType ? <span className="text-slate-500">{event.targetType} </span> : null}
      <span className="break-all">{event.targetName ?? event.targetId ?? ""}</span>
      {deployLink ? (
        <Link href={deployLink} className="ml-2 text-indigo-600 underline" data-testid="audit-deploy-link">
          deploy &amp; log →
        </Link>
      ) : null}
    </>
  );
}

/** The one-line summary, opening to everything the event recorded, its hash included. */
function Details({ event }: { event: AuditEventRow }) {
  return (
    <details>
      <summary className="cursor-pointer">{describeSummary(event.summary) || "details"}</summary>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
        <dt className="text-slate-400">event</dt>
        <dd className="font-mono">#{event.id}</dd>
        {event.targetId ? (
          <>
            <dt className="text-slate-400">target id</dt>
            <dd className="break-all font-mono">{event.targetId}</dd>
          </>
        ) : null}
        <dt className="text-slate-400">user agent</dt>
        <dd className="break-all">{event.userAgent ?? "–"}</dd>
        <dt className="text-slate-400">summary</dt>
        <dd>
          <pre className="whitespace-pre-wrap break-all font-mono">{event.summary == null ? "–" : JSON.stringify(event.summary, null, 2)}</pre>
        </dd>
        <dt className="text-slate-400">hash</dt>
        <dd className="break-all font-mono">{event.hash}</dd>
      </dl>
    </details>
  );
}

export function AuditTable({ events, empty }: { events: AuditEventRow[]; empty: ReactNode }) {
  return (
    <Table
      variant="framed"
      data-testid="audit-table"
      rows={events}
      rowKey={(e) => e.id}
      rowProps={(e) => ({ "data-testid": "audit-row", "data-event-id": e.id, "data-action": e.action, "data-outcome": e.outcome, className: "align-top" })}
      empty={empty}
      columns={[
        { header: "Time", className: "whitespace-nowrap font-mono text-xs text-slate-600", cell: (e) => <LocalTime ms={e.at} data-testid="audit-time" /> },
        {
          header: "Actor",
          cell: (e) => (
            <>
              <span className="break-all">{e.actorLabel}</span>
              {e.actorRole ? <span className="ml-1 rounded bg-slate-100 px-1.5 py-0.5 text-xs uppercase text-slate-600">{e.actorRole}</span> : null}
            </>
          ),
        },
        { header: "Action", className: "font-mono text-xs", cell: (e) => e.action },
        { header: "Target", cell: (e) => <Target event={e} /> },
        {
          header: "Outcome",
          cell: (e) => (
            <span className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ${OUTCOME_STYLE[e.outcome]}`} data-testid="audit-outcome">
              {e.outcome}
            </span>
          ),
        },
        { header: "IP", className: "whitespace-nowrap font-mono text-xs text-slate-600", cell: (e) => e.ip ?? "–" },
        { header: "Details", className: "max-w-md text-xs text-slate-600", cell: (e) => <Details event={e} /> },
      ]}
    />
  );
}
