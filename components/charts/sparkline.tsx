import type { SparklinePoint } from "@/lib/queries/monitors";
import { formatMs } from "./format";

function label(points: SparklinePoint[]): string {
  const failed = points.filter((p) => !p.ok).length;
  return `Latency of the last ${points.length} checks, latest ${formatMs(points.at(-1)!.ms)}${failed ? `, ${failed} failed` : ""}`;
}

const MARGIN = 3;

/**
 * The latest checks' latency in a fixed 120×32 box; failures are red dots on the baseline. Plain SVG drawn on
 * the server: a list of every monitor carries no chart library (recharts is loaded only where the latency
 * chart is, on a monitor's page).
 */
export function Sparkline({ points, width = 120, height = 32 }: { points: SparklinePoint[]; width?: number; height?: number }) {
  if (points.length === 0) {
    return (
      <span className="inline-flex items-center text-xs text-slate-400" style={{ width, height }} data-testid="sparkline-empty">
        no data
      </span>
    );
  }
  const last = points.at(-1)!;
  const innerW = width - 2 * MARGIN;
  const innerH = height - 2 * MARGIN;
  // Evenly spaced, oldest on the left; the y scale runs from 0 to the slowest successful check.
  const x = (i: number) => MARGIN + (points.length === 1 ? innerW / 2 : (i * innerW) / (points.length - 1));
  const max = Math.max(0, ...points.map((p) => (p.ok && p.ms !== null ? p.ms : 0)));
  const y = (ms: number) => MARGIN + innerH - (max > 0 ? (ms / max) * innerH : 0);
  // Failures leave no gap: the line joins the successful checks either side (as connectNulls did).
  const line = points.map((p, i) => (p.ok && p.ms !== null ? `${x(i).toFixed(1)},${y(p.ms).toFixed(1)}` : null)).filter((v): v is string => v !== null);
  return (
    // A picture with a name, not a tab stop: the latest latency and the failures are its name.
    <span role="img" aria-label={label(points)} className="inline-block align-middle" style={{ width, height }} title={`latest ${formatMs(last.ms)}`} data-testid="sparkline">
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-hidden="true" focusable="false">
        {line.length > 1 ? (
          <polyline points={line.join(" ")} fill="none" stroke="#6366f1" strokeWidth={1.5} strokeLinejoin="round" strokeLinecap="round" />
        ) : line.length === 1 ? (
          <circle cx={Number(line[0]!.split(",")[0])} cy={Number(line[0]!.split(",")[1])} r={1.5} fill="#6366f1" />
        ) : null}
        {points.map((p, i) => (p.ok ? null : <circle key={i} cx={x(i).toFixed(1)} cy={height - 4} r={2} fill="#e11d48" data-testid="sparkline-failure" />))}
      </svg>
    </span>
  );
}
