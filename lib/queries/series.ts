import { Prisma } from "../generated/prisma/client";
import type { Db, Tx } from "../db/client";
import { getRolledThrough } from "../health/rollups";
import { ceilTo, floorTo, maxDate, minDate, UNIT_MS, type BucketUnit } from "../health/time";

export type Source = "raw" | BucketUnit;
export interface Segment {
  source: Source;
  from: Date;
  to: Date;
}

/**
 * Splits [from, to) into the cheapest exact pieces: whole days from day rollups, whole hours and minutes
 * at the edges from their rollups, raw results for a partial minute and for everything after the rollup
 * watermark. A 90-day window reads about 90 + 2·23 + 2·59 rollup rows per monitor plus the raw tail.
 *
 * Once raw results older than the retention window are gone, a partial first minute reads nothing: a
 * window that starts that far back effectively starts at its next whole minute.
 */
export function planWindow(from: Date, to: Date, through: Date | null): Segment[] {
  const segments: Segment[] = [];
  const push = (source: Source, a: Date, b: Date) => {
    if (b.getTime() <= a.getTime()) return;
    const last = segments.at(-1);
    if (last && last.source === source && last.to.getTime() === a.getTime()) last.to = b;
    else segments.push({ source, from: a, to: b });
  };
  if (to.getTime() <= from.getTime()) return segments;
  const rolledEnd = through ? minDate(to, through) : from;
  let cursor = from;
  while (cursor.getTime() < rolledEnd.getTime()) {
    const unit = (["day", "hour", "minute"] as const).find((u) => cursor.getTime() % UNIT_MS[u] === 0 && cursor.getTime() + UNIT_MS[u] <= rolledEnd.getTime());
    if (unit) {
      const next = new Date(cursor.getTime() + UNIT_MS[unit]);
      push(unit, cursor, next);
      cursor = next;
    } else {
      const next = minDate(ceilTo(new Date(cursor.getTime() + 1), "minute"), rolledEnd);
      push("raw", cursor, next);
      cursor = next;
    }
  }
  push("raw", maxDate(cursor, from), to);
  return segments;
}

function segmentSql(s: Segment, monitorFilter: Prisma.Sql, rollupFilter: Prisma.Sql): Prisma.Sql {
  const a = s.from.toISOString();
  const b = s.to.toISOString();
  if (s.source === "raw") {
    return Prisma.sql`SELECT "monitorId", (count(*) FILTER (WHERE NOT "inMaintenance"))::bigint AS checks, (count(*) FILTER (WHERE NOT ok AND NOT "inMaintenance"))::bigint AS failures
      FROM "CheckResult" WHERE ${monitorFilter} AND "at" >= ${a}::timestamp AND "at" < ${b}::timestamp GROUP BY 1`;
  }
  return Prisma.sql`SELECT "monitorId", sum(checks)::bigint AS checks, sum(failures)::bigint AS failures
    FROM "CheckRollup" WHERE ${rollupFilter} AND bucket = ${s.source}::"RollupBucket"
      AND "bucketStart" >= ${a}::timestamp AND "bucketStart" < ${b}::timestamp GROUP BY 1`;
}

export interface WindowCounts {
  checks: number;
  failures: number;
}

/** Checks and failures per monitor in [from, to), for the given monitors (or all). */
export async function countWindow(client: Db | Tx, range: { from: Date; to: Date }, monitorIds: string[] | null, through?: Date | null): Promise<Map<string, WindowCounts>> {
  const rolled = through === undefined ? await getRolledThrough(client) : through;
  const segments = planWindow(range.from, range.to, rolled);
  const result = new Map<string, WindowCounts>();
  if (segments.length === 0) return result;
  const filter = monitorIds ? Prisma.sql`"monitorId" = ANY(${monitorIds}::text[])` : Prisma.sql`true`;
  const parts = segments.map((s) => segmentSql(s, filter, filter));
  const rows = await client.$queryRaw<{ monitorId: string; checks: bigint; failures: bigint }[]>`
    SELECT "monitorId", sum(checks)::bigint AS checks, sum(failures)::bigint AS failures
    FROM (${Prisma.join(parts, " UNION ALL ")}) s GROUP BY 1`;
  for (const r of rows) result.set(r.monitorId, { checks: Number(r.checks), failures: Number(r.failures) });
  return result;
}

export function uptimePercent(c: WindowCounts | undefined): number | null {
  if (!c || c.checks === 0) return null;
  return Math.round(((c.checks - c.failures) / c.checks) * 100_000) / 1000;
}

export interface SeriesPoint {
  /** The bucket's start, epoch ms. */
  t: number;
  checks: number;
  failures: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/**
 * One point per bucket that starts in [floor(from), to): rolled-up buckets from the rollup table and the
 * buckets after the watermark computed from raw results the same way the rollup would.
 */
export async function loadSeries(client: Db | Tx, monitorId: string, range: { from: Date; to: Date; bucket: BucketUnit }, through?: Date | null): Promise<SeriesPoint[]> {
  const rolled = through === undefined ? await getRolledThrough(client) : through;
  const unit = range.bucket;
  const start = floorTo(range.from, unit);
  const limit = rolled ? floorTo(rolled, unit) : new Date(0);
  const rolledTo = minDate(range.to, limit);
  const rawFrom = maxDate(start, limit);
  const rows = await client.$queryRaw<{ t: Date; checks: number; failures: number; p50: number | null; p95: number | null; p99: number | null }[]>`
    SELECT "bucketStart" AS t, checks, failures, p50, p95, p99 FROM "CheckRollup"
    WHERE "monitorId" = ${monitorId} AND bucket = ${unit}::"RollupBucket"
      AND "bucketStart" >= ${start.toISOString()}::timestamp AND "bucketStart" < ${rolledTo.toISOString()}::timestamp
    UNION ALL
    SELECT date_trunc(${unit}, "at") AS t, (count(*) FILTER (WHERE NOT "inMaintenance"))::int, (count(*) FILTER (WHERE NOT ok AND NOT "inMaintenance"))::int,
      percentile_cont(0.50) WITHIN GROUP (ORDER BY "latencyMs") FILTER (WHERE ok),
      percentile_cont(0.95) WITHIN GROUP (ORDER BY "latencyMs") FILTER (WHERE ok),
      percentile_cont(0.99) WITHIN GROUP (ORDER BY "latencyMs") FILTER (WHERE ok)
    FROM "CheckResult"
    WHERE "monitorId" = ${monitorId} AND "at" >= ${rawFrom.toISOString()}::timestamp AND "at" < ${range.to.toISOString()}::timestamp
    GROUP BY 1
    ORDER BY 1`;
  return rows.map((r) => ({ t: r.t.getTime(), checks: r.checks, failures: r.failures, p50: r.p50, p95: r.p95, p99: r.p99 }));
}

export interface HourCount {
  monitorId: string;
  /** The hour's start, epoch ms. */
  t: number;
  checks: number;
  failures: number;
}

/**
 * Checks and failures per hour that starts in [floor(from), to), for many monitors in one statement:
 * hourly rollups up to the watermark, raw results after it grouped the same way the rollup would.
 */
export async function loadHourlyCounts(client: Db | Tx, monitorIds: string[], range: { from: Date; to: Date }, through?: Date | null): Promise<HourCount[]> {
  if (monitorIds.length === 0) return [];
  const rolled = through === undefined ? await getRolledThrough(client) : through;
  const start = floorTo(range.from, "hour");
  const limit = rolled ? floorTo(rolled, "hour") : new Date(0);
  const rolledTo = minDate(range.to, limit);
  const rawFrom = maxDate(start, limit);
  const rows = await client.$queryRaw<{ monitorId: string; t: Date; checks: number; failures: number }[]>`
    SELECT "monitorId", "bucketStart" AS t, checks, failures FROM "CheckRollup"
    WHERE "monitorId" = ANY(${monitorIds}::text[]) AND bucket = 'hour'::"RollupBucket"
      AND "bucketStart" >= ${start.toISOString()}::timestamp AND "bucketStart" < ${rolledTo.toISOString()}::timestamp
    UNION ALL
    SELECT "monitorId", date_trunc('hour', "at") AS t, (count(*) FILTER (WHERE NOT "inMaintenance"))::int, (count(*) FILTER (WHERE NOT ok AND NOT "inMaintenance"))::int
    FROM "CheckResult"
    WHERE "monitorId" = ANY(${monitorIds}::text[]) AND "at" >= ${rawFrom.toISOString()}::timestamp AND "at" < ${range.to.toISOString()}::timestamp
    GROUP BY 1, 2
    ORDER BY 1, 2`;
  return rows.map((r) => ({ monitorId: r.monitorId, t: r.t.getTime(), checks: r.checks, failures: r.failures }));
}
