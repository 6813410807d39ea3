import type { ScorecardRow } from "@/lib/queries/monitors";
import { formatMs } from "../charts/format";
import { EmptyLine } from "../ui/empty";
import { Table } from "../ui/table";
import { formatTime } from "../ui/time";

function pct(v: number | null): string {
  return v === null ? "—" : `${(v * 100).toFixed(v < 0.01 && v > 0 ? 2 : 1)}%`;
}

/** Worse is red, better green; a change under 10% of p95 (or 0.1 point of error rate) is noise. */
function Delta({ now, before, kind }: { now: number | null; before: number | null; kind: "rate" | "ms" }) {
  if (now === null || before === null) return <span className="text-slate-400">—</span>;
  const diff = now - before;
  const noise = kind === "rate" ? Math.abs(diff) < 0.001 : Math.abs(diff) < Math.max(1, before * 0.1);
  const text = kind === "rate" ? `${diff >= 0 ? "+" : "−"}${Math.abs(diff * 100).toFixed(1)} pt` : `${diff >= 0 ? "+" : "−"}${before > 0 ? Math.abs((diff / before) * 100).toFixed(0) : "∞"}%`;
  const tone = noise ? "text-slate-500" : diff > 0 ? "text-rose-700" : "text-emerald-700";
  return (
    <span className={`text-xs ${tone}`} data-testid={`delta-${kind}`} data-direction={noise ? "same" : diff > 0 ? "worse" : "better"}>
      {text}
    </span>
  );
}

/**
 * Per release that went live: error rate and p95 latency of the app's monitors while it was current,
 * each against the release before it. Pass the rows of getReleaseScorecard(appId).
 */
export function ReleaseScorecard({ rows }: { rows: ScorecardRow[] }) {
  return (
    <>
      <Table
        data-testid="release-scorecard"
        rows={rows}
        rowKey={(r) => r.deployId}
        rowProps={(r) => ({ "data-testid": "scorecard-row", "data-release": r.release })}
        empty={<EmptyLine data-testid="release-scorecard-empty">No successful deploys yet: each one gets a scorecard here once its checks come in.</EmptyLine>}
        columns={[
          {
            header: "Release",
            cell: (r) => (
              <>
                <span className="font-mono text-xs">{r.release}</span>
                <span className="block text-xs text-slate-500">
                  {r.kind === "rollback" ? "rollback" : "deploy"} by {r.actor} · <span className="font-mono">{r.commit.slice(0, 7)}</span>
                </span>
              </>
            ),
          },
          {
            header: "Live since",
            className: "text-xs text-slate-600",
            cell: (r) => (
              <>
                {formatTime(r.since)}
                {r.until ? null : <span className="ml-1 rounded bg-emerald-50 px-1 text-emerald-700">current</span>}
              </>
            ),
          },
          {
            header: "Checks",
            align: "right",
            className: "tabular-nums",
            cellProps: (r) => ({ title: r.source === "rollup" ? "From hourly rollups: raw results of this period were pruned" : "From raw results" }),
            cell: (r) => `${r.checks}${r.source === "rollup" ? "*" : ""}`,
          },
          {
            header: "Error rate",
            align: "right",
            className: "tabular-nums",
            cell: (r) => (
              <>
                {pct(r.errorRate)} <Delta now={r.errorRate} before={r.previous?.errorRate ?? null} kind="rate" />
              </>
            ),
          },
          {
            header: "p95 latency",
            align: "right",
            className: "tabular-nums",
            cell: (r) => (
              <>
                {formatMs(r.p95Ms)} <Delta now={r.p95Ms} before={r.previous?.p95Ms ?? null} kind="ms" />
              </>
            ),
          },
        ]}
      />
      {rows.length ? <p className="mt-2 text-xs text-slate-500">Compared with the release live before each one; checks during a deploy are left out. * from hourly rollups (p95 approximate).</p> : null}
    </>
  );
}
