"use client";

import { useMemo, useState } from "react";
import { CartesianGrid, ComposedChart, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { DeployMarker } from "@/lib/queries/monitors";
import type { SeriesPoint } from "@/lib/queries/series";
import { formatMs, formatTick, formatWhen } from "./format";

type LatencyPoint = Pick<SeriesPoint, "t" | "p50" | "p95" | "checks" | "failures">;

const MARKER_COLORS = { deploy: "#4f46e5", rollback: "#d97706", failed: "#e11d48" } as const;

function markerColor(m: DeployMarker): string {
  return m.status === "succeeded" ? MARKER_COLORS[m.kind] : MARKER_COLORS.failed;
}

export function markerLabel(m: DeployMarker): string {
  const what = m.kind === "rollback" ? "Rollback" : "Deploy";
  const commit = m.commit ? ` · ${m.commit.slice(0, 7)}` : "";
  const release = m.release ? ` · ${m.release}` : "";
  return `${what} ${m.status}${release}${commit} · by ${m.actor} · ${formatWhen(m.t)}`;
}

/** A break in the line where buckets are missing, instead of a straight line across the gap. */
function withGaps(points: LatencyPoint[], bucketMs: number): (LatencyPoint | { t: number; p50: null; p95: null; checks: 0; failures: 0 })[] {
  const out: (LatencyPoint | { t: number; p50: null; p95: null; checks: 0; failures: 0 })[] = [];
  for (const p of points) {
    const last = out.at(-1);
    if (last && p.t - last.t > bucketMs * 1.5) out.push({ t: last.t + bucketMs, p50: null, p95: null, checks: 0, failures: 0 });
    out.push(p);
  }
  return out;
}

interface TooltipPayload {
  payload?: LatencyPoint;
}

function PointTooltip({ active, payload }: { active?: boolean; payload?: TooltipPayload[] }) {
  const p = payload?.[0]?.payload;
  if (!active || !p || p.checks === 0) return null;
  return (
    <div className="rounded-md bg-white px-3 py-2 text-xs shadow-md ring-1 ring-slate-200">
      <p className="font-medium">{formatWhen(p.t)}</p>
      <p>p50 {formatMs(p.p50)} · p95 {formatMs(p.p95)}</p>
      <p className={p.failures ? "text-rose-700" : "text-slate-500"}>
        {p.checks} checks, {p.failures} failed
      </p>
    </div>
  );
}

/**
 * p50 and p95 latency over time, with each deploy and rollback of the monitor's app drawn as a marker
 * (hover for release, commit and who). The box has a fixed height, so nothing moves when data arrives.
 */
export function LatencyChart({
  points,
  markers,
  from,
  to,
  bucketMs,
  height = 288,
}: {
  points: LatencyPoint[];
  markers: DeployMarker[];
  from: number;
  to: number;
  bucketMs: number;
  height?: number;
}) {
  const [hover, setHover] = useState<{ marker: DeployMarker; x: number } | null>(null);
  const hasLatency = points.some((p) => p.p50 !== null);
  // Without a single latency value recharts has no y scale and draws no reference lines: an invisible
  // zero series keeps the plot area, so deploy markers still show over a range with no successful check.
  const data = useMemo(() => {
    const rows = points.length ? withGaps(points, bucketMs) : [from, to].map((t) => ({ t, p50: null, p95: null, checks: 0 as const, failures: 0 as const }));
    return hasLatency ? rows : rows.map((r) => ({ ...r, floor: 0 }));
  }, [points, bucketMs, from, to, hasLatency]);
  const span = to - from;
  return (
    <div className="relative" style={{ height }} data-testid="latency-chart" data-points={points.length} data-markers={markers.length}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data} margin={{ top: 18, right: 16, bottom: 4, left: 8 }}>
          <CartesianGrid stroke="var(--chart-grid)" strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={[from, to]}
            allowDataOverflow
            tickFormatter={(t: number) => formatTick(t, span)}
            tick={{ fontSize: 11, fill: "var(--chart-text)" }}
            minTickGap={40}
          />
          <YAxis
            width={64}
            tick={{ fontSize: 11, fill: "var(--chart-text)" }}
            tickFormatter={(v: number) => formatMs(v)}
            domain={hasLatency ? [0, "auto"] : [0, 100]}
            label={{ value: "latency", angle: -90, position: "insideLeft", style: { fontSize: 11, fill: "var(--chart-text)" } }}
          />
          <Tooltip content={<PointTooltip />} />
          {hasLatency ? null : <Line dataKey="floor" stroke="none" dot={false} activeDot={false} legendType="none" isAnimationActive={false} />}
          <Line type="monotone" dataKey="p50" name="p50" stroke="#0ea5e9" strokeWidth={2} dot={false} connectNulls={false} isAnimationActive={false} />
          <Line type="monotone" dataKey="p95" name="p95" stroke="#6366f1" strokeWidth={2} strokeDasharray="5 3" dot={false} connectNulls={false} isAnimationActive={false} />
          {markers.map((m) => (
            <ReferenceLine
              key={m.id}
              x={m.t}
              ifOverflow="discard"
              shape={(props: { x1?: number; y1?: number; y2?: number }) => {
                const x = props.x1 ?? 0;
                const top = Math.min(props.y1 ?? 0, props.y2 ?? 0);
                const bottom = Math.max(props.y1 ?? 0, props.y2 ?? 0);
                const color = markerColor(m);
                return (
                  <g
                    data-testid="deploy-marker"
                    data-kind={m.kind}
                    data-release={m.release ?? ""}
                    aria-label={markerLabel(m)}
                    role="img"
                    style={{ cursor: "pointer" }}
                    onMouseEnter={() => setHover({ marker: m, x })}
                    onMouseLeave={() => setHover(null)}
                  >
                    <title>{markerLabel(m)}</title>
                    <line x1={x} x2={x} y1={top} y2={bottom} stroke={color} strokeWidth={1.5} strokeDasharray={m.status === "succeeded" ? undefined : "4 3"} />
                    <line x1={x} x2={x} y1={top} y2={bottom} stroke="transparent" strokeWidth={10} />
                    <path d={`M${x - 6},${top - 12} L${x + 6},${top - 12} L${x},${top - 2} Z`} fill={color} />
                  </g>
                );
              }}
            />
          ))}
        </ComposedChart>
      </ResponsiveContainer>
      {!hasLatency ? (
        <p className="pointer-events-none absolute inset-0 flex items-center justify-center text-sm text-slate-400" data-testid="latency-chart-empty">
          {points.length === 0 ? "No checks in this range yet" : "No successful checks in this range"}
        </p>
      ) : null}
      {hover ? (
        <div
          className="pointer-events-none absolute top-0 z-10 max-w-xs -translate-x-1/2 rounded-md bg-slate-900 px-3 py-2 text-xs text-white shadow-lg"
          style={{ left: hover.x }}
          data-testid="deploy-marker-tooltip"
        >
          <p className="font-semibold">{hover.marker.kind === "rollback" ? "Rollback" : "Deploy"} · {hover.marker.status}</p>
          {hover.marker.release ? <p className="font-mono">{hover.marker.release}</p> : null}
          {hover.marker.commit ? <p className="font-mono">commit {hover.marker.commit.slice(0, 12)}</p> : null}
          <p>by {hover.marker.actor}</p>
          <p className="text-slate-300">{formatWhen(hover.marker.t)}</p>
        </div>
      ) : null}
    </div>
  );
}
