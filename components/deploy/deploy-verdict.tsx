import Link from "next/link";
import type { DeployIncident } from "@/lib/queries/deploy-incidents";
import type { DeployVerdictView } from "@/lib/queries/deploys";
import { Badge } from "../ui/badge";
import { Card } from "../ui/card";
import { EmptyLine } from "../ui/empty";
import { LocalTime } from "../ui/local-time";

const TONE: Record<DeployVerdictView["outcome"], string> = { passed: "succeeded", regressed: "failed", inconclusive: "skipped" };

/** As the verdict's summary writes rates (lib/deploy/verdict/maths.ts formatRate): "18%", "0.4%". */
function formatRate(rate: number): string {
  const rounded = Math.round(rate * 10) / 10;
  return `${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1)}%`;
}

function ms(v: number | null): string {
  return v === null ? "—" : `${Math.round(v)} ms`;
}

/** The release verdict with its numbers: the soak against the previous release's baseline. */
export function DeployVerdictCard({ verdict }: { verdict: DeployVerdictView | null }) {
  if (!verdict) return null;
  const n = verdict.numbers;
  return (
    <Card padding="sm" data-testid="deploy-verdict" data-outcome={verdict.outcome}>
      <h2 className="mb-1 flex flex-wrap items-center gap-2 text-sm font-semibold">
        Release verdict <Badge value={TONE[verdict.outcome]} label={verdict.outcome} />
        {n?.mode ? <span className="text-xs font-normal text-slate-500">{n.mode === "rollback" ? "rolls back on a regression" : "alerts on a regression"}</span> : null}
      </h2>
      <p className="text-sm" data-testid="deploy-verdict-summary">
        {verdict.summary}
      </p>
      {n ? (
        <div className="mt-2 overflow-x-auto">
          <table className="text-left text-sm tabular-nums">
            <thead className="text-xs text-slate-500">
              <tr>
                <th className="pr-4 font-medium"></th>
                <th className="pr-4 font-medium">Checks</th>
                <th className="pr-4 font-medium">Error rate</th>
                <th className="pr-4 font-medium">p95</th>
              </tr>
            </thead>
            <tbody>
              {(
                [
                  ["This release (soak)", n.soak],
                  ["Before (baseline)", n.baseline],
                ] as const
              ).map(([label, side]) => (
                <tr key={label}>
                  <th className="pr-4 font-normal text-slate-600">{label}</th>
                  <td className="pr-4">{side.checks}</td>
                  <td className="pr-4">{formatRate(side.errorRate)}</td>
                  <td className="whitespace-nowrap pr-4">{ms(side.p95LatencyMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="mt-1 text-xs text-slate-500">
            A regression: more than {n.maxErrorRateIncrease} points more errors, or p95 over {n.maxLatencyRatio}× the baseline (and at least {n.minLatencyIncreaseMs} ms more); fewer than {n.minSamples} checks on a side is inconclusive.
          </p>
        </div>
      ) : null}
    </Card>
  );
}

/** Incidents of the app's monitors that started within 30 minutes after this deploy ended. */
export function DeployIncidents({ incidents }: { incidents: DeployIncident[] }) {
  return (
    <Card padding="sm" data-testid="deploy-incidents">
      <h2 className="mb-1 text-sm font-semibold">Incidents after this deploy</h2>
      {incidents.length === 0 ? (
        <EmptyLine>None started in the 30 minutes after it ended.</EmptyLine>
      ) : (
        <ul className="space-y-1 text-sm">
          {incidents.map((i) => (
            <li key={i.id} data-testid="deploy-incident">
              <Badge value={i.endedAt ? "up" : "down"} label={i.endedAt ? "resolved" : "ongoing"} />{" "}
              <Link href={`/monitors/${i.monitorId}`} className="font-medium text-indigo-700 underline">
                {i.monitorName}
              </Link>{" "}
              from <LocalTime ms={i.startedAt} />
              {i.cause ? <span className="text-slate-600"> · {i.cause}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
