import Link from "next/link";
import type { AuditEventRow } from "@/lib/queries/audit";
import { formatTime } from "../ui/time";
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

export function AuditTable({ events }: { events: AuditEventRow[] }) {
  return (
    <div className="overflow-x-auto rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
      <table className="w-full text-left text-sm" data-testid="audit-table">
        <thead className="border-b border-slate-200 text-slate-500">
          <tr>
            <th className="px-4 py-2 font-medium">Time</th>
            <th className="px-4 py-2 font-medium">Actor</th>
            <th className="px-4 py-2 font-medium">Action</th>
            <th className="px-4 py-2 font-medium">Target</th>
            <th className="px-4 py-2 font-medium">Outcome</th>
            <th className="px-4 py-2 font-medium">IP</th>
            <th className="px-4 py-2 font-medium">Details</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {events.map((e) => {
            const deployLink = deployLinkFor(e);
            const summary = describeSummary(e.summary);
            return (
              <tr key={e.id} data-testid="audit-row" data-event-id={e.id} data-action={e.action} data-outcome={e.outcome} className="align-top">
                <td className="whitespace-nowrap px-4 py-2 font-mono text-xs text-slate-600">{formatTime(e.at)}</td>
                <td className="px-4 py-2">
                  <span className="break-all">{e.actorLabel}</span>
                  {e.actorRole ? <span className="ml-1 rounded bg-slate-100 px-1.5 py-0.5 text-xs uppercase text-slate-600">{e.actorRole}</span> : null}
                </td>
                <td className="px-4 py-2 font-mono text-xs">{e.action}</td>
                <td className="px-4 py-2">
                  {e.targetType ? <span className="text-slate-500">{e.targetType} </span> : null}
                  <span className="break-all">{e.targetName ?? e.targetId ?? ""}</span>
                  {deployLink ? (
                    <Link href={deployLink} className="ml-2 text-indigo-600 underline" data-testid="audit-deploy-link">
                      deploy &amp; log →
                    </Link>
                  ) : null}
                </td>
                <td className="px-4 py-2">
                  <span className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ${OUTCOME_STYLE[e.outcome]}`} data-testid="audit-outcome">
                    {e.outcome}
                  </span>
                </td>
                <td className="whitespace-nowrap px-4 py-2 font-mono text-xs text-slate-600">{e.ip ?? "–"}</td>
                <td className="max-w-md px-4 py-2 text-xs text-slate-600">
                  <details>
                    <summary className="cursor-pointer">{summary || "details"}</summary>
                    <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
                      <dt className="text-slate-400">event</dt>
                      <dd className="font-mono">#{e.id}</dd>
                      {e.targetId ? (
                        <>
                          <dt className="text-slate-400">target id</dt>
                          <dd className="break-all font-mono">{e.targetId}</dd>
                        </>
                      ) : null}
                      <dt className="text-slate-400">user agent</dt>
                      <dd className="break-all">{e.userAgent ?? "–"}</dd>
                      <dt className="text-slate-400">summary</dt>
                      <dd>
                        <pre className="whitespace-pre-wrap break-all font-mono">{e.summary == null ? "–" : JSON.stringify(e.summary, null, 2)}</pre>
                      </dd>
                      <dt className="text-slate-400">hash</dt>
                      <dd className="break-all font-mono">{e.hash}</dd>
                    </dl>
                  </details>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
