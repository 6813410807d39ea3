import type { ScorecardRow } from "@/lib/queries/monitors";
import { formatMs } from "../charts/format";
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
  if (rows.length === 0) {
    return <p className="text-sm text-slate-500" data-testid="release-scorecard-empty">No successful deploys yet: each one gets a scorecard here once its checks come in.</p>;
  }
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid="release-scorecard">
        <thead className="text-slate-500">
          <tr>
            <th className="py-2 pr-4 font-medium">Release</th>
            <th className="py-2 pr-4 font-medium">Live since</th>
            <th className="py-2 pr-4 text-right font-medium">Checks</th>
            <th className="py-2 pr-4 text-right font-medium">Error rate</th>
            <th className="py-2 pr-4 text-right font-medium">p95 latency</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((r) => (
            <tr key={r.deployId} data-testid="scorecard-row" data-release={r.release}>
              <td className="py-2 pr-4">
                <span className="font-mono text-xs">{r.release}</span>
                <span className="block text-xs text-slate-500">
                  {r.kind === "rollback" ? "rollback" : "deploy"} by {r.actor} · <span className="font-mono">{r.commit.slice(0, 7)}</span>
                </span>
              </td>
              <td className="py-2 pr-4 text-xs text-slate-600">
                {formatTime(r.since)}
                {r.until ? null : <span className="ml-1 rounded bg-emerald-50 px-1 text-emerald-700">current</span>}
              </td>
              <td className="py-2 pr-4 text-right tabular-nums" title={r.source === "rollup" ? "From hourly rollups: raw results of this period were pruned" : "From raw results"}>
                {r.checks}
                {r.source === "rollup" ? "*" : ""}
              </td>
              <td className="py-2 pr-4 text-right tabular-nums">
                {pct(r.errorRate)} <Delta now={r.errorRate} before={r.previous?.errorRate ?? null} kind="rate" />
              </td>
              <td className="py-2 pr-4 text-right tabular-nums">
                {formatMs(r.p95Ms)} <Delta now={r.p95Ms} before={r.previous?.p95Ms ?? null} kind="ms" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-2 text-xs text-slate-500">Compared with the release live before each one; checks during a deploy are left out. * from hourly rollups (p95 approximate).</p>
    </div>
  );
}
