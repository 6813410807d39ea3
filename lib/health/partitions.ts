import type { Db, Tx } from "../db/client";
import { log } from "../log";
import { DAY_MS, floorTo } from "./time";

/**
 * Raw check results live in "CheckResultData", partitioned by UTC day (migration 20261209100000_narrow_results):
 * one partition "CheckResultData_YYYYMMDD" a day, created a few days ahead by the retention job, and a default
 * partition for anything outside them (a clock far off, a day the job did not reach). Retention drops whole
 * days: a DROP TABLE of a partition takes milliseconds, writes no WAL per row and leaves nothing to vacuum.
 */
export const PARTITION_PREFIX = "CheckResultData_";
export const DEFAULT_PARTITION = "CheckResultData_default";
/** Days of partitions kept ready after today. */
export const PARTITIONS_AHEAD_DAYS = 3;
/**
 * A DROP of a partition needs a short exclusive lock on the parent: it waits at most this long for writes in
 * flight (which queue behind it meanwhile), then gives up and tries again, so no write waits longer.
 */
const DROP_LOCK_TIMEOUT_MS = 20;
const DROP_ATTEMPTS = 25;

const dayString = (d: Date) => d.toISOString().slice(0, 10);

/** Creates the missing daily partitions from yesterday to `aheadDays` after `now` (moving any of their rows out of the default partition). */
export async function ensureResultPartitions(client: Db | Tx, now = new Date(), aheadDays = PARTITIONS_AHEAD_DAYS): Promise<number> {
  const from = new Date(floorTo(now, "day").getTime() - DAY_MS);
  const to = new Date(floorTo(now, "day").getTime() + (aheadDays + 1) * DAY_MS);
  const [row] = await client.$queryRaw<{ made: number }[]>`SELECT deckhand_ensure_result_partitions(${dayString(from)}::date, ${dayString(to)}::date) AS made`;
  const made = row?.made ?? 0;
  if (made > 0) log.info({ made, from: dayString(from), to: dayString(to) }, "check result partitions created");
  return made;
}

export interface ResultPartition {
  name: string;
  /** The day it holds, [day, day + 1). */
  day: Date;
  /** The planner's row estimate (pg_class.reltuples, 0 before the first ANALYZE). */
  rows: number;
  bytes: number;
}

/** The daily partitions, oldest first (not the default one). */
export async function listResultPartitions(client: Db | Tx): Promise<ResultPartition[]> {
  const rows = await client.$queryRaw<{ name: string; rows: number; bytes: bigint }[]>`
    SELECT c.relname AS name, greatest(c.reltuples, 0)::float8 AS rows, pg_total_relation_size(c.oid) AS bytes
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = '"CheckResultData"'::regclass AND c.relname ~ '^CheckResultData_[0-9]{8}$'
    ORDER BY c.relname`;
  return rows.map((r) => {
    const d = r.name.slice(PARTITION_PREFIX.length);
    return { name: r.name, day: new Date(`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T00:00:00Z`), rows: r.rows, bytes: Number(r.bytes) };
  });
}

async function dropPartition(client: Db, name: string): Promise<boolean> {
  for (let attempt = 0; attempt < DROP_ATTEMPTS; attempt++) {
    try {
      await client.$transaction(async (tx) => {
        await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = '${DROP_LOCK_TIMEOUT_MS}ms'`);
        // The name comes from pg_class and matched ^CheckResultData_[0-9]{8}$ above.
        await tx.$executeRawUnsafe(`DROP TABLE IF EXISTS "${name}"`);
      });
      return true;
    } catch (err) {
      if (!/lock timeout/i.test(String(err))) throw err;
      await new Promise((r) => setTimeout(r, 20 + attempt * 10));
    }
  }
  log.warn({ partition: name }, "could not drop an old check result partition for the writes going on; will try at the next run");
  return false;
}

/**
 * Drops every daily partition whose whole day is before `cutoff` and deletes, in batches, the default
 * partition's rows before it. Returns how many results went (for dropped partitions, the planner's estimate).
 */
export async function dropResultsBefore(client: Db, cutoff: Date, opts: { batchSize: number; deadline: number }): Promise<number> {
  let removed = 0;
  for (const p of await listResultPartitions(client)) {
    if (p.day.getTime() + DAY_MS > cutoff.getTime() || Date.now() > opts.deadline) break;
    if (await dropPartition(client, p.name)) removed += Math.round(p.rows);
  }
  while (Date.now() < opts.deadline) {
    const n = await client.$executeRaw`
      DELETE FROM "CheckResultData_default" WHERE ctid = ANY(ARRAY(
        SELECT ctid FROM "CheckResultData_default" WHERE "at" < ${cutoff.toISOString()}::timestamp LIMIT ${opts.batchSize}))`;
    removed += n;
    if (n < opts.batchSize) break;
  }
  await ensureResultPartitions(client);
  return removed;
}
