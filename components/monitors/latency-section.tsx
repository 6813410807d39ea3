import Link from "next/link";
import type { ChartRange, DeployMarker, MonitorPageData } from "@/lib/queries/monitors";
import { LatencyChart } from "../charts/latency-chart";
import { Section } from "../ui/section";
import { formatTime } from "../ui/time";

const BUCKET_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

function markerDot(m: DeployMarker): string {
  return m.status !== "succeeded" ? "bg-rose-600" : m.kind === "rollback" ? "bg-amber-600" : "bg-indigo-600";
}

/** The latency chart with its range picker, and the deploys and rollbacks it marks, listed under it. */
export function LatencySection({ chart, ranges, hasApp }: { chart: MonitorPageData["chart"]; ranges: readonly ChartRange[]; hasApp: boolean }) {
  return (
    <Section
      className="mb-6"
      title={
        <>
          Latency <span className="text-sm font-normal text-slate-500">p50 (solid) and p95 (dashed) of successful checks, per {chart.bucket}</span>
        </>
      }
      actions={
        <nav aria-label="Chart range" className="flex gap-1">
          {ranges.map((r) => (
            <Link
              key={r}
              href={`?range=${r}`}
              scroll={false}
              aria-current={r === chart.range ? "page" : undefined}
              className={`rounded-md px-2.5 py-1 text-sm ${r === chart.range ? "bg-indigo-600 text-white" : "text-slate-600 ring-1 ring-slate-200 hover:bg-slate-50"}`}
            >
              {r}
            </Link>
          ))}
        </nav>
      }
    >
      <LatencyChart points={chart.points} markers={chart.markers} from={chart.from} to={chart.to} bucketMs={BUCKET_MS[chart.bucket]} />
      {chart.markers.length ? (
        <ul className="mt-3 space-y-1 text-xs text-slate-600" data-testid="deploy-markers">
          {chart.markers.map((m) => (
            <li key={m.id} data-testid="deploy-marker-item" data-kind={m.kind}>
              <span className={`mr-1 inline-block h-2 w-2 rounded-full ${markerDot(m)}`} />
              {formatTime(m.t)} · {m.kind} {m.status}
              {m.release ? <> · <span className="font-mono">{m.release}</span></> : null}
              {m.commit ? <> · <span className="font-mono">{m.commit.slice(0, 7)}</span></> : null} · by {m.actor}
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-3 text-xs text-slate-500">{hasApp ? "No deploys or rollbacks in this range." : "Link this monitor to an app to see its deploys on the chart."}</p>
      )}
    </Section>
  );
}
