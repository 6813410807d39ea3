"use client";

import { Line, LineChart, YAxis } from "recharts";
import type { SparklinePoint } from "@/lib/queries/monitors";
import { formatMs } from "./format";

function label(points: SparklinePoint[]): string {
  const failed = points.filter((p) => !p.ok).length;
  return `Latency of the last ${points.length} checks, latest ${formatMs(points.at(-1)!.ms)}${failed ? `, ${failed} failed` : ""}`;
}

/** The latest checks' latency in a fixed 120×32 box; failures are red dots on the baseline. */
export function Sparkline({ points, width = 120, height = 32 }: { points: SparklinePoint[]; width?: number; height?: number }) {
  if (points.length === 0) {
    return (
      <span className="inline-flex items-center text-xs text-slate-400" style={{ width, height }} data-testid="sparkline-empty">
        no data
      </span>
    );
  }
  const data = points.map((p) => ({ ...p, line: p.ok ? p.ms : null }));
  const last = points.at(-1)!;
  return (
    // A picture with a name, not a tab stop: recharts' keyboard layer (a focusable <svg> with a tooltip to step
    // through) is off, as the sparkline has no tooltip; the latest latency and the failures are its name.
    <span role="img" aria-label={label(points)} className="inline-block align-middle" style={{ width, height }} title={`latest ${formatMs(last.ms)}`} data-testid="sparkline">
      <LineChart width={width} height={height} data={data} margin={{ top: 3, right: 3, bottom: 3, left: 3 }} accessibilityLayer={false}>
        <YAxis hide domain={[0, "dataMax"]} />
        <Line
          dataKey="line"
          stroke="#6366f1"
          strokeWidth={1.5}
          isAnimationActive={false}
          connectNulls
          dot={(props: { cx?: number; cy?: number; index?: number; payload?: SparklinePoint }) =>
            props.payload && !props.payload.ok ? (
              <circle key={props.index} cx={props.cx} cy={height - 4} r={2} fill="#e11d48" />
            ) : (
              <g key={props.index} />
            )
          }
        />
      </LineChart>
    </span>
  );
}
