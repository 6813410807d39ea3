import type { Db, Tx } from "../db/client";
import { DAY_MS, floorTo, maxDate } from "../health/time";

export interface DayCount {
  /** The day's start (UTC), epoch ms. */
  t: number;
  checks: number;
  failures: number;
}

/**
 * Checks and failures per UTC day that starts in [floor(from), to), for many monitors in one statement: day
 * rollups for the days before the rollup watermark's day, hour rollups for that day's hours up to the
 * watermark, and raw results after it, all grouped by day (what the day rollup will say once it is written).
 */
export async function loadDailyCounts(client: Db | Tx, monitorIds: string[], range: { from: Date; to: Date }, through: Date | null): Promise<Map<string, DayCount[]>> {
  const out = new Map<string, DayCount[]>();
  if (monitorIds.length === 0) return out;
  const start = floorTo(range.from, "day");
  const dayEnd = through ? maxDate(start, floorTo(through, "day")) : start;
  const hourEnd = through ? maxDate(dayEnd, floorTo(through, "hour")) : start;
  const [a, b, c, d] = [start, dayEnd, hourEnd, range.to].map((x) => x.toISOString());
  const rows = await client.$queryRaw<{ monitorId: string; t: Date; checks: number; failures: number }[]>`
    SELECT "monitorId", t, sum(checks)::int AS checks, sum(failures)::int AS failures FROM (
      SELECT "monitorId", "bucketStart" AS t, checks, failures FROM "CheckRollup"
      WHERE "monitorId" = ANY(${monitorIds}::text[]) AND bucket = 'day'::"RollupBucket"
        AND "bucketStart" >= ${a}::timestamp AND "bucketStart" < ${b}::timestamp
      UNION ALL
      SELECT "monitorId", date_trunc('day', "bucketStart"), checks, failures FROM "CheckRollup"
      WHERE "monitorId" = ANY(${monitorIds}::text[]) AND bucket = 'hour'::"RollupBucket"
        AND "bucketStart" >= ${b}::timestamp AND "bucketStart" < ${c}::timestamp
      UNION ALL
      SELECT "monitorId", date_trunc('day', "at"), 1, CASE WHEN ok THEN 0 ELSE 1 END FROM "CheckResult"
      WHERE "monitorId" = ANY(${monitorIds}::text[]) AND "at" >= ${c}::timestamp AND "at" < ${d}::timestamp
    ) s GROUP BY 1, 2 ORDER BY 1, 2`;
  for (const r of rows) {
    const list = out.get(r.monitorId) ?? [];
    list.push({ t: r.t.getTime(), checks: r.checks, failures: r.failures });
    out.set(r.monitorId, list);
  }
  return out;
}

/** The `days` days ending today (UTC), oldest first, zero where nothing was checked. */
export function lastDays(counts: DayCount[], now: number, days: number): DayCount[] {
  const first = Math.floor(now / DAY_MS) * DAY_MS - (days - 1) * DAY_MS;
  const byDay = new Map(counts.map((c) => [c.t, c]));
  return Array.from({ length: days }, (_, i) => {
    const t = first + i * DAY_MS;
    const c = byDay.get(t);
    return { t, checks: c?.checks ?? 0, failures: c?.failures ?? 0 };
  });
}

/** Percent up with three decimals, null without checks. */
export function uptimeOf(days: DayCount[]): number | null {
  const checks = days.reduce((s, d) => s + d.checks, 0);
  const failures = days.reduce((s, d) => s + d.failures, 0);
  return checks === 0 ? null : Math.round(((checks - failures) / checks) * 100_000) / 1000;
}
