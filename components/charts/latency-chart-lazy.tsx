"use client";

import dynamic from "next/dynamic";
import type { ComponentProps } from "react";
import type { LatencyChart as Chart } from "./latency-chart";

const DEFAULT_HEIGHT = 288;

/** What stands in the chart's place while its code loads: the same box, so nothing below it moves. */
function ChartSkeleton({ height = DEFAULT_HEIGHT }: { height?: number }) {
  return (
    <div className="relative" style={{ height }} data-testid="latency-chart-loading" aria-busy="true" aria-label="Loading the latency chart">
      <div className="absolute inset-y-4 left-16 right-4 flex flex-col justify-between" aria-hidden>
        {[0, 1, 2, 3, 4].map((i) => (
          <div key={i} className="border-t border-dashed" style={{ borderColor: "var(--chart-grid)" }} />
        ))}
      </div>
    </div>
  );
}

/**
 * The latency chart, with recharts (about 110 kB of gzipped JavaScript) in a chunk of its own that the
 * browser fetches after the page is up, only on a page that shows the chart; the page paints without it.
 */
const Lazy = dynamic(() => import("./latency-chart").then((m) => m.LatencyChart), {
  ssr: false,
  loading: () => <ChartSkeleton />,
});

export function LatencyChart(props: ComponentProps<typeof Chart>) {
  return <Lazy {...props} />;
}
