import Link from "next/link";
import type { ChartRange, MonitorPageData } from "@/lib/queries/monitors";
import { LatencyChart } from "../charts/latency-chart-lazy";
import { Section } from "../ui/section";
import { MarkerLegend } from "./marker-legend";

const BUCKET_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

/** The latency chart with its range picker, and the deploys and rollbacks it marks, listed under it. */
export function LatencySection({ chart, ranges, hasApp, maintenance = [] }: { chart: MonitorPageData["chart"]; ranges: readonly ChartRange[]; hasApp: boolean; maintenance?: { start: number; end: number }[] }) {
  return (
    <Section
      className="mb-6"
      title={
        <>
          Latency{" "}
          <span className="text-sm font-normal text-slate-500">
            {chart.source === "raw" ? "of each check so far (a new monitor: every check is drawn)" : `p50 (solid) and p95 (dashed) of successful checks, per ${chart.bucket}`}; failures shaded red, degraded amber, deploys lightly,
            maintenance grey
          </span>
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
      <LatencyChart
        points={chart.points}
        markers={chart.markers}
        from={chart.from}
        to={chart.to}
        bucketMs={chart.source === "raw" ? null : BUCKET_MS[chart.bucket]}
        intervalSeconds={chart.intervalSeconds}
        maintenance={maintenance}
        degraded={chart.degraded}
      />
      {chart.markers.length ? (
        <MarkerLegend markers={chart.markers} />
      ) : (
        <p className="mt-3 text-xs text-slate-500">{hasApp ? "No deploys or rollbacks in this range: each one will be marked on the chart and listed here." : "Link this monitor to an app to see its deploys on the chart."}</p>
      )}
    </Section>
  );
}
