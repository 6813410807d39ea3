"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import { CartesianGrid, ComposedChart, Line, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { DeployMarker } from "@/lib/queries/monitors";
import type { SeriesPoint } from "@/lib/queries/series";
import { formatMs, formatMsTick, formatSpan, formatTick, formatUp, formatWhenSeconds } from "./format";
import { clusterMarkers, degradedBands, deployWindows, downBands, inBand, maintenanceBands, placePoint, pointSpan, type Cluster, type DegradedBand, type Span } from "./geometry";
import { ClusterTooltip, markerColor, MarkerShape } from "./markers";

type LatencyPoint = Pick<SeriesPoint, "t" | "p50" | "p95" | "checks" | "failures">;
interface Row {
  /** Where the point is drawn: a bucket's middle, a raw check's time. */
  x: number;
  start: number;
  end: number;
  p50: number | null;
  p95: number | null;
  checks: number;
  failures: number;
  floor?: number;
}

const MARGIN = { top: 18, right: 16, bottom: 4, left: 8 };
const Y_AXIS_WIDTH = 64;
/** Deploy markers closer than this many pixels are drawn as one, with a count. */
const CLUSTER_GAP_PX = 18;

export { markerLabel } from "./markers";

/** Rows at their drawn place, with a break in the line where buckets (or checks) are missing. */
function toRows(points: LatencyPoint[], bucketMs: number | null, intervalMs: number, from: number, to: number): Row[] {
  const gap = bucketMs === null ? intervalMs * 2.5 : bucketMs * 1.5;
  const rows: Row[] = [];
  points.forEach((p, i) => {
    const span = pointSpan(points, i, bucketMs, to);
    const prev = points[i - 1];
    if (prev && p.t - prev.t > gap) rows.push({ x: (prev.t + p.t) / 2, start: prev.t, end: p.t, p50: null, p95: null, checks: 0, failures: 0 });
    rows.push({ x: placePoint(p.t, bucketMs, from, to), start: span.start, end: span.end, p50: p.p50, p95: p.p95, checks: p.checks, failures: p.failures });
  });
  return rows;
}

function PointTooltip({ active, payload, raw, degraded }: { active?: boolean; payload?: { payload?: Row }[]; raw: boolean; degraded: readonly Span[] }) {
  const p = payload?.[0]?.payload;
  if (!active || !p || p.checks === 0) return null;
  const slow = inBand(degraded, p.start, raw ? p.start : p.end);
  return (
    <div className="max-w-[13rem] rounded-md bg-white px-3 py-2 text-xs text-slate-900 shadow-md ring-1 ring-slate-200" data-testid="latency-tooltip">
      {raw ? (
        <p className="font-medium">
          {formatWhenSeconds(p.start)} · {p.failures ? "down" : `${formatMs(p.p50)} · ${slow ? "degraded" : "up"}`}
        </p>
      ) : (
        <>
          <p className="font-medium">
            {formatSpan(p.start, p.end)} · p95 {formatMs(p.p95)} · {formatUp(p.checks, p.failures)}
          </p>
          <p className="text-slate-500">
            p50 {formatMs(p.p50)} · {p.checks} checks{p.failures ? `, ${p.failures} failed` : ""}
          </p>
          {slow ? (
            <p className="text-amber-700" data-testid="latency-tooltip-degraded">
              degraded: slower than its threshold for part of it
            </p>
          ) : null}
        </>
      )}
    </div>
  );
}

/** A tick that is one line of SVG text: it never wraps, however narrow the chart. */
function TimeTick({ x, y, payload, span }: { x?: number; y?: number; payload?: { value: number }; span: number }) {
  if (x === undefined || y === undefined || !payload) return null;
  return (
    <text x={x} y={y + 12} textAnchor="middle" fontSize={11} fill="var(--chart-text)" style={{ whiteSpace: "pre" }} data-testid="time-tick">
      {formatTick(payload.value, span)}
    </text>
  );
}

function MsTick({ x, y, payload }: { x?: number; y?: number; payload?: { value: number } }) {
  if (x === undefined || y === undefined || !payload) return null;
  return (
    <text x={x} y={y} dy={4} textAnchor="end" fontSize={11} fill="var(--chart-text)" style={{ whiteSpace: "pre" }} data-testid="ms-tick">
      {formatMsTick(payload.value)}
    </text>
  );
}

/** The plot's width in pixels, measured, so markers can be clustered by how close they are drawn. */
function usePlotWidth(): [React.RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setWidth(Math.max(0, el.clientWidth - MARGIN.left - MARGIN.right - Y_AXIS_WIDTH));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

function emptyText(points: LatencyPoint[], intervalSeconds: number): string {
  if (points.length === 0) return `No checks in this range yet: p50 and p95 latency appear here after the first check (every ${intervalSeconds} s).`;
  return "No successful checks in this range: latency appears once a check succeeds; failures are shaded red.";
}

/**
 * p50 and p95 latency on a time axis: bucketed points at their bucket's middle (a young monitor's raw
 * checks at their own time), stretches with failures shaded red, deploy windows shaded lightly, and each
 * deploy or rollback of the monitor's app a marker; markers drawn close together become one with a count
 * that lists them on hover or focus; maintenance windows are hatched grey, degraded stretches amber. The box has a fixed height, so nothing moves when data arrives.
 */
export function LatencyChart(props: {
  points: LatencyPoint[];
  markers: DeployMarker[];
  from: number;
  to: number;
  /** null: the points are raw checks. */
  bucketMs: number | null;
  intervalSeconds: number;
  /** Maintenance windows in the range (epoch ms). */
  maintenance?: Span[];
  /** Runs of degraded checks in the range (epoch ms): shaded amber. */
  degraded?: DegradedBand[];
  height?: number;
}) {
  const { points, markers, from, to, bucketMs, intervalSeconds, maintenance, degraded, height = 300 } = props;
  const [ref, plotWidth] = usePlotWidth();
  const [open, setOpen] = useState<{ cluster: Cluster<DeployMarker>; x: number } | null>(null);
  const hasLatency = points.some((p) => p.p50 !== null);
  // Without a single latency value recharts has no y scale and draws no reference lines: an invisible
  // zero series keeps the plot area, so deploy markers and down bands still show.
  const data = useMemo(() => {
    const rows = points.length ? toRows(points, bucketMs, intervalSeconds * 1000, from, to) : [from, to].map((x) => ({ x, start: x, end: x, p50: null, p95: null, checks: 0, failures: 0 }));
    return hasLatency ? rows : rows.map((r) => ({ ...r, floor: 0 }));
  }, [points, bucketMs, intervalSeconds, from, to, hasLatency]);
  const bands = useMemo(() => downBands(points, bucketMs, from, to), [points, bucketMs, from, to]);
  const windows = useMemo(() => deployWindows(markers, from, to), [markers, from, to]);
  const maintained = useMemo(() => maintenanceBands(maintenance ?? [], from, to), [maintenance, from, to]);
  const slow = useMemo(() => degradedBands(degraded ?? [], from, to), [degraded, from, to]);
  const clusters = useMemo(() => clusterMarkers(markers, { from, to, widthPx: plotWidth, minGapPx: CLUSTER_GAP_PX }), [markers, from, to, plotWidth]);
  const span = to - from;
  return (
    <div
      ref={ref}
      className="relative"
      style={{ height }}
      data-testid="latency-chart"
      data-source={bucketMs === null ? "raw" : "bucket"}
      data-points={points.length}
      data-markers={markers.length}
      data-clusters={plotWidth > 0 ? clusters.length : ""}
      data-down-bands={bands.length}
      data-deploy-windows={windows.length}
      data-maintenance-bands={maintained.length}
      data-degraded-bands={slow.length}
    >
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data} margin={MARGIN}>
          <CartesianGrid stroke="var(--chart-grid)" strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="x"
            type="number"
            scale="time"
            domain={[from, to]}
            allowDataOverflow
            height={40}
            tickFormatter={(t: number) => formatTick(t, span)}
            tick={<TimeTick span={span} />}
            minTickGap={24}
            label={{ value: "time (UTC)", position: "insideBottom", offset: 0, style: { fontSize: 11, fill: "var(--chart-text)" } }}
          />
          <YAxis
            width={Y_AXIS_WIDTH}
            tick={<MsTick />}
            tickFormatter={formatMsTick}
            domain={hasLatency ? [0, "auto"] : [0, 100]}
            label={{ value: "latency (ms)", angle: -90, position: "insideLeft", style: { fontSize: 11, fill: "var(--chart-text)", textAnchor: "middle" } }}
          />
          {windows.map((w) => (
            <ReferenceArea key={`w-${w.start}`} x1={w.start} x2={w.end} ifOverflow="hidden" fill="#6366f1" fillOpacity={0.08} shape={<rect data-testid="deploy-window" />} />
          ))}
          {maintained.map((m) => (
            <ReferenceArea key={`m-${m.start}`} x1={m.start} x2={m.end} ifOverflow="hidden" fill="#64748b" fillOpacity={0.16} stroke="#64748b" strokeOpacity={0.4} strokeDasharray="4 3" shape={<rect data-testid="maintenance-band" />} />
          ))}
          {slow.map((b) => (
            <ReferenceArea key={`s-${b.start}`} x1={b.start} x2={b.end} ifOverflow="hidden" fill="#f59e0b" fillOpacity={0.18} shape={<rect data-testid="degraded-band" />} />
          ))}
          {bands.map((b) => (
            <ReferenceArea key={`d-${b.start}`} x1={b.start} x2={b.end} ifOverflow="hidden" fill="#e11d48" fillOpacity={0.12 + 0.2 * (b.failures / Math.max(1, b.checks))} shape={<rect data-testid="down-band" />} />
          ))}
          <Tooltip content={<PointTooltip raw={bucketMs === null} degraded={slow} />} />
          {hasLatency ? null : <Line dataKey="floor" stroke="none" dot={false} activeDot={false} legendType="none" isAnimationActive={false} />}
          <Line type="monotone" dataKey="p50" name="p50" stroke="#0ea5e9" strokeWidth={2} dot={bucketMs === null ? false : { r: 1.5 }} connectNulls={false} isAnimationActive={false} />
          <Line type="monotone" dataKey="p95" name="p95" stroke="#6366f1" strokeWidth={2} strokeDasharray="5 3" dot={false} connectNulls={false} isAnimationActive={false} />
          {plotWidth > 0
            ? clusters.map((c) => (
                <ReferenceLine
                  key={c.markers[0]!.id}
                  x={c.t}
                  ifOverflow="discard"
                  shape={(p: { x1?: number; y1?: number; y2?: number }) => (
                    <MarkerShape cluster={c} x={p.x1 ?? 0} y1={p.y1 ?? 0} y2={p.y2 ?? 0} color={markerColor(c.markers)} onOpen={(x) => setOpen(x === null ? null : { cluster: c, x })} />
                  )}
                />
              ))
            : null}
        </ComposedChart>
      </ResponsiveContainer>
      {!hasLatency ? (
        <p className="pointer-events-none absolute inset-x-16 top-1/3 text-center text-sm text-slate-500" data-testid="latency-chart-empty">
          {emptyText(points, intervalSeconds)}
        </p>
      ) : null}
      {open ? <ClusterTooltip markers={open.cluster.markers} x={open.x} width={plotWidth + MARGIN.left + MARGIN.right + Y_AXIS_WIDTH} /> : null}
    </div>
  );
}
