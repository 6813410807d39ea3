/**
 * The pure arithmetic behind the latency chart: where a point sits on the time axis, which stretches are
 * shaded as down, and which deploy markers are drawn as one. No React here, so each piece is unit tested.
 */

export interface SpanPoint {
  /** The bucket's start (or a raw check's time), epoch ms. */
  t: number;
  checks: number;
  failures: number;
}

export interface Span {
  start: number;
  end: number;
}

/**
 * The time a point covers. A bucket covers [t, t + bucket), cut at `to` (the bucket still filling); a raw
 * check (bucketMs null) covers the time until the next check, the last one until `to`.
 */
export function pointSpan(points: readonly SpanPoint[], i: number, bucketMs: number | null, to: number): Span {
  const p = points[i]!;
  if (bucketMs === null) {
    const next = points[i + 1];
    return { start: p.t, end: Math.max(p.t, next ? next.t : to) };
  }
  return { start: p.t, end: Math.max(p.t, Math.min(p.t + bucketMs, to)) };
}

/**
 * Where a point is drawn: a bucket at the middle of the part of it inside [from, to], so points and deploy
 * markers share one time axis (a check at 14:40 is not drawn at 14:00); a raw check at its own time.
 */
export function placePoint(t: number, bucketMs: number | null, from: number, to: number): number {
  if (bucketMs === null) return t;
  const start = Math.max(t, from);
  const end = Math.min(t + bucketMs, to);
  return end <= start ? Math.min(Math.max(t, from), to) : start + (end - start) / 2;
}

export interface DownBand extends Span {
  checks: number;
  failures: number;
}

/**
 * Stretches with failed checks, from a series: consecutive points with failures > 0 whose spans touch
 * merge into one band. A raw failed check shades until the next check (the one that came back up), an
 * ongoing failure until `to`; a bucket with failures shades the whole bucket (its share of failures is
 * kept, so the band can be drawn fainter when only a few failed). Bands are cut to [from, to].
 */
export function downBands(points: readonly SpanPoint[], bucketMs: number | null, from: number, to: number): DownBand[] {
  const bands: DownBand[] = [];
  let open: DownBand | null = null;
  points.forEach((p, i) => {
    const span = pointSpan(points, i, bucketMs, to);
    if (p.failures <= 0) {
      open = null;
      return;
    }
    if (open && span.start <= open.end) {
      open.end = Math.max(open.end, span.end);
      open.checks += p.checks;
      open.failures += p.failures;
    } else {
      open = { ...span, checks: p.checks, failures: p.failures };
      bands.push(open);
    }
  });
  return bands.map((b) => ({ ...b, start: Math.max(b.start, from), end: Math.min(b.end, to) })).filter((b) => b.end > b.start);
}

export interface Timed {
  t: number;
}

export interface Cluster<M extends Timed> {
  /** Where the cluster is drawn: the middle of its first and last marker. */
  t: number;
  markers: M[];
}

/**
 * Markers closer than `minGapPx` on a plot `widthPx` wide showing [from, to] become one cluster (drawn
 * with a count). A cluster never grows wider than the gap: each marker is compared with the cluster's
 * first, so a steady stream of deploys makes several clusters, not one that covers the chart.
 */
export function clusterMarkers<M extends Timed>(markers: readonly M[], opts: { from: number; to: number; widthPx: number; minGapPx: number }): Cluster<M>[] {
  const sorted = [...markers].sort((a, b) => a.t - b.t);
  const span = opts.to - opts.from;
  const gapMs = span > 0 && opts.widthPx > 0 ? (opts.minGapPx * span) / opts.widthPx : 0;
  const clusters: Cluster<M>[] = [];
  for (const m of sorted) {
    const last = clusters.at(-1);
    if (last && m.t - last.markers[0]!.t < gapMs) last.markers.push(m);
    else clusters.push({ t: m.t, markers: [m] });
  }
  for (const c of clusters) c.t = (c.markers[0]!.t + c.markers.at(-1)!.t) / 2;
  return clusters;
}

/** A deploy window as a band: start to finish, a running one until `to`; nothing outside [from, to]. */
export function deployWindows(deploys: readonly { start: number; end: number | null }[], from: number, to: number): Span[] {
  return deploys.map((d) => ({ start: Math.max(d.start, from), end: Math.min(d.end ?? to, to) })).filter((w) => w.end > w.start);
}

/** Spans cut to [from, to), oldest first; touching or overlapping ones merge into one (counts add up). */
function mergeSpans<S extends Span>(spans: readonly S[], from: number, to: number, add: (into: S, s: S) => void = () => {}): S[] {
  const cut = spans
    .map((w) => ({ ...w, start: Math.max(w.start, from), end: Math.min(w.end, to) }))
    .filter((w) => w.end > w.start)
    .sort((a, b) => a.start - b.start);
  const out: S[] = [];
  for (const w of cut) {
    const last = out.at(-1);
    if (last && w.start <= last.end) {
      last.end = Math.max(last.end, w.end);
      add(last, w);
    } else out.push({ ...w });
  }
  return out;
}

/** Maintenance windows as bands, cut to [from, to]; touching or overlapping windows merge into one. */
export function maintenanceBands(windows: readonly Span[], from: number, to: number): Span[] {
  return mergeSpans(
    windows.map((w) => ({ start: w.start, end: w.end })),
    from,
    to,
  );
}

export interface DegradedBand extends Span {
  /** Degraded checks in the band. */
  checks: number;
}

/**
 * Degraded stretches as amber bands: each run of degraded checks (lib/queries/degraded.ts) shades from its
 * first degraded check to the next check that was not, cut to [from, to]; runs that touch merge. Where a
 * down band overlaps, the red one is drawn on top.
 */
export function degradedBands(runs: readonly DegradedBand[], from: number, to: number): DegradedBand[] {
  return mergeSpans(runs, from, to, (into, r) => {
    into.checks += r.checks;
  });
}

/** Whether [start, end) (a point's span; a raw check's own instant when start = end) meets a band. */
export function inBand(bands: readonly Span[], start: number, end: number): boolean {
  return bands.some((b) => (start === end ? b.start <= start && start < b.end : b.start < end && start < b.end));
}
