import type { Db } from "../../db/client";

/**
 * Fills CheckResult in SQL: one result per monitor every `stepSeconds` in [from, to), with latencies and
 * failures derived from a hash of the time (deterministic, irregular). What the tests and the benchmark
 * compare rollups and windows against.
 */
export async function generateResults(client: Db, opts: { monitorIds: string[]; from: Date; to: Date; stepSeconds: number; failureEvery?: number }): Promise<number> {
  return client.$executeRaw`
    INSERT INTO "CheckResult" ("monitorId", "at", "ok", "latencyMs", "detail")
    SELECT m.id, g.at,
      (abs(hashtext(m.id || g.at::text)) % ${opts.failureEvery ?? 10}) <> 0,
      5 + (abs(hashtext(g.at::text || m.id)) % 50000) / 100.0,
      NULL
    FROM unnest(${opts.monitorIds}::text[]) AS m(id)
    CROSS JOIN generate_series(${opts.from.toISOString()}::timestamp, ${opts.to.toISOString()}::timestamp - interval '1 millisecond',
                               make_interval(secs => ${opts.stepSeconds})) AS g(at)`;
}

/** PostgreSQL's percentile_cont: linear interpolation between the two nearest ranks. */
export function percentileCont(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const v = [...values].sort((a, b) => a - b);
  const pos = p * (v.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return v[lo]! + (v[hi]! - v[lo]!) * (pos - lo);
}
