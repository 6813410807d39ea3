import { z } from "zod";
import type { Db, Tx } from "../db/client";
import { log } from "../log";
import { dropResultsBefore } from "./partitions";
import { DAY_MS, floorTo, HOUR_MS, minDate, type BucketUnit } from "./time";

/** Setting row holding how far rollups are complete: every bucket before `through` is final. */
export const ROLLUP_SETTING_KEY = "health.rollup";
/**
 * Rollups stay this far behind the clock. A result is written when its check ends (up to the 120 s
 * timeout) plus a batch flush, under its start time; a minute is rolled up only once nothing more can land in it.
 */
export const ROLLUP_LAG_MS = 3 * 60_000;
/** One transaction rolls up at most this much raw time, so catching up after downtime never holds a huge one. */
const CHUNK_MS = 6 * HOUR_MS;
const ROLLUP_LOCK = 0x4ea1_7001;
const RETENTION_LOCK = 0x4ea1_7002;

const stateSchema = z.object({ through: z.iso.datetime() });

export async function getRolledThrough(client: Db | Tx): Promise<Date | null> {
  const row = await client.setting.findUnique({ where: { key: ROLLUP_SETTING_KEY } });
  const parsed = stateSchema.safeParse(row?.value);
  return parsed.success ? new Date(parsed.data.through) : null;
}

async function setRolledThrough(tx: Tx, through: Date): Promise<void> {
  const value = { through: through.toISOString() };
  await tx.setting.upsert({ where: { key: ROLLUP_SETTING_KEY }, create: { key: ROLLUP_SETTING_KEY, value }, update: { value } });
}

/**
 * (Re)computes every bucket of one size whose raw results fall in [from, to) from the raw results:
 * count, failures, and latency percentiles of the successful checks. Results taken in a maintenance window
 * count in neither checks nor failures (they are not held against uptime); their latencies still do. An upsert, so running it twice
 * gives the same rows.
 */
export async function rollUpRange(tx: Tx | Db, unit: BucketUnit, from: Date, to: Date): Promise<number> {
  // flags: 1 ok, 4 in maintenance ("CheckResultData", lib/health/results.ts FLAG).
  return tx.$executeRaw`
    INSERT INTO "CheckRollup" ("monitorId", "bucket", "bucketStart", "checks", "failures", "p50", "p95", "p99")
    SELECT m.id, ${unit}::"RollupBucket", date_trunc(${unit}, c."at"), (count(*) FILTER (WHERE c.flags & 4 = 0))::int, (count(*) FILTER (WHERE c.flags & 5 = 0))::int,
      percentile_cont(0.50) WITHIN GROUP (ORDER BY c."latencyMs") FILTER (WHERE c.flags & 1 <> 0),
      percentile_cont(0.95) WITHIN GROUP (ORDER BY c."latencyMs") FILTER (WHERE c.flags & 1 <> 0),
      percentile_cont(0.99) WITHIN GROUP (ORDER BY c."latencyMs") FILTER (WHERE c.flags & 1 <> 0)
    FROM "CheckResultData" c JOIN "Monitor" m ON m.seq = c."monitorSeq"
    WHERE c."at" >= ${from.toISOString()}::timestamp AND c."at" < ${to.toISOString()}::timestamp
    GROUP BY 1, 3
    ON CONFLICT ("monitorId", "bucket", "bucketStart") DO UPDATE
      SET checks = EXCLUDED.checks, failures = EXCLUDED.failures, p50 = EXCLUDED.p50, p95 = EXCLUDED.p95, p99 = EXCLUDED.p99`;
}

export interface RollupProgress {
  through: Date | null;
  chunks: number;
  /** Another worker held the rollup lock: it is doing this work. */
  busy: boolean;
}

/**
 * Brings the minute, hour and day rollups up to `now - lag`, chunk by chunk, each chunk in one
 * transaction that also advances the watermark. Only one worker at a time (advisory lock); idempotent.
 */
export async function rollUpResults(client: Db, opts: { now?: Date; lagMs?: number; maxChunks?: number } = {}): Promise<RollupProgress> {
  const target = floorTo(new Date((opts.now ?? new Date()).getTime() - (opts.lagMs ?? ROLLUP_LAG_MS)), "minute");
  const progress: RollupProgress = { through: null, chunks: 0, busy: false };
  for (let i = 0; i < (opts.maxChunks ?? 1_000); i++) {
    const step = await client.$transaction(
      async (tx) => {
        const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${ROLLUP_LOCK}) AS locked`;
        if (!lock?.locked) return "busy" as const;
        let from = await getRolledThrough(tx);
        if (!from) {
          const [first] = await tx.$queryRaw<{ at: Date | null }[]>`SELECT min("at") AS at FROM "CheckResultData"`;
          from = first?.at ? floorTo(first.at, "minute") : target;
        }
        progress.through = from;
        if (from.getTime() >= target.getTime()) {
          if (!(await getRolledThrough(tx))) await setRolledThrough(tx, target);
          progress.through = target;
          return "done" as const;
        }
        const to = minDate(target, new Date(from.getTime() + CHUNK_MS));
        await rollUpRange(tx, "minute", from, to);
        const [hourFrom, hourTo] = [floorTo(from, "hour"), floorTo(to, "hour")];
        if (hourTo > hourFrom) await rollUpRange(tx, "hour", hourFrom, hourTo);
        const [dayFrom, dayTo] = [floorTo(from, "day"), floorTo(to, "day")];
        if (dayTo > dayFrom) await rollUpRange(tx, "day", dayFrom, dayTo);
        await setRolledThrough(tx, to);
        progress.through = to;
        progress.chunks++;
        return to.getTime() >= target.getTime() ? ("done" as const) : ("more" as const);
      },
      { timeout: 10 * 60_000, maxWait: 10_000 },
    );
    if (step === "busy") return { ...progress, busy: true };
    if (step === "done") break;
  }
  return progress;
}

export interface RetentionOptions {
  now?: Date;
  rawDays: number;
  /** Per bucket size; the default is 400 days for all three. */
  rollupDays: Record<BucketUnit, number>;
  batchSize?: number;
  /** Stop after this long and continue next time, so pruning never hogs the database. */
  budgetMs?: number;
}

async function underLock(client: Db, work: (tx: Tx) => Promise<number>): Promise<number> {
  return client.$transaction(async (tx) => {
    const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${RETENTION_LOCK}) AS locked`;
    return lock?.locked ? work(tx) : 0;
  });
}

/**
 * Drops raw results past their retention (never any not yet rolled up) a whole day partition at a time
 * (lib/health/partitions.ts), deletes rollups past theirs and finished alert deliveries older than 30 days.
 * Rollups go per monitor through the primary key, so that needs no scan of the whole table.
 */
export async function pruneHealthHistory(client: Db, opts: RetentionOptions): Promise<{ results: number; rollups: number; deliveries: number }> {
  const now = opts.now ?? new Date();
  const batchSize = opts.batchSize ?? 20_000;
  const deadline = Date.now() + (opts.budgetMs ?? 30_000);
  const through = await getRolledThrough(client);
  const rawCutoff = minDate(new Date(now.getTime() - opts.rawDays * DAY_MS), through ?? new Date(0));
  const results = await dropResultsBefore(client, rawCutoff, { batchSize, deadline });
  let rollups = 0;
  const monitors = (await client.monitor.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((m) => m.id);
  for (let i = 0; i < monitors.length && Date.now() < deadline; i += 200) {
    const ids = monitors.slice(i, i + 200);
    for (const unit of ["minute", "hour", "day"] as const) {
      const cutoff = new Date(now.getTime() - opts.rollupDays[unit] * DAY_MS);
      rollups += await underLock(
        client,
        (tx) => tx.$executeRaw`
        DELETE FROM "CheckRollup" r USING unnest(${ids}::text[]) AS m(id)
        WHERE r."monitorId" = m.id AND r.bucket = ${unit}::"RollupBucket" AND r."bucketStart" < ${cutoff.toISOString()}::timestamp`,
      );
    }
  }
  const deliveryCutoff = new Date(now.getTime() - 30 * DAY_MS);
  const deliveries = await underLock(
    client,
    (tx) => tx.$executeRaw`
    DELETE FROM "NotificationDelivery" WHERE status <> 'pending' AND "createdAt" < ${deliveryCutoff.toISOString()}::timestamp`,
  );
  if (results + rollups + deliveries > 0) log.info({ results, rollups, deliveries }, "health history pruned");
  return { results, rollups, deliveries };
}
