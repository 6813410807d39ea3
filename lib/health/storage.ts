import type { Db, Tx } from "../db/client";
import { listResultPartitions } from "./partitions";
import { DAY_MS } from "./time";

export interface RetentionDays {
  raw: number;
  minute: number;
  hour: number;
  day: number;
}

export interface StorageFigures {
  /** pg_database_size of the whole database. */
  databaseBytes: number;
  /** Raw results and rollups on disk (heap + indexes + toast, every partition). */
  historyBytes: number;
  /** What a day adds: the newest complete day partition of raw results, and the rollup rows of the last 24 h at their average size. */
  growthBytesPerDay: number;
  /** The database at steady state: everything but history as it is, plus a day's growth of each kind kept as long as its retention. */
  projectedBytes: number;
  retention: RetentionDays;
}

/** Database size, growth per day and the size it will settle at under the configured retention (for `deckhand doctor` and Settings). */
export async function storageFigures(client: Db | Tx, retention: RetentionDays, now = new Date()): Promise<StorageFigures> {
  const [sizes] = await client.$queryRaw<{ database: bigint; rollups: bigint; rollupRows: number }[]>`
    SELECT pg_database_size(current_database()) AS database, pg_total_relation_size('"CheckRollup"') AS rollups,
      greatest((SELECT reltuples FROM pg_class WHERE oid = '"CheckRollup"'::regclass), 0)::float8 AS "rollupRows"`;
  const [recent] = await client.$queryRaw<{ minute: bigint; hour: bigint; day: bigint }[]>`
    SELECT count(*) FILTER (WHERE bucket = 'minute') AS minute, count(*) FILTER (WHERE bucket = 'hour') AS hour, count(*) FILTER (WHERE bucket = 'day') AS day
    FROM "CheckRollup" WHERE "bucketStart" >= ${new Date(now.getTime() - 2 * DAY_MS).toISOString()}::timestamp AND "bucketStart" < ${new Date(now.getTime() - DAY_MS).toISOString()}::timestamp`;
  const partitions = await listResultPartitions(client);
  const [defaultSize] = await client.$queryRaw<{ bytes: bigint }[]>`SELECT pg_total_relation_size('"CheckResultData_default"') AS bytes`;
  const rawBytes = partitions.reduce((s, p) => s + p.bytes, 0) + Number(defaultSize?.bytes ?? 0);
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  // The newest day that is over (yesterday), else the largest so far.
  const yesterday = partitions.find((p) => p.day.getTime() === today - DAY_MS);
  const rawPerDay = yesterday?.bytes ?? Math.max(0, ...partitions.filter((p) => p.day.getTime() < today).map((p) => p.bytes));
  const rollupBytes = Number(sizes?.rollups ?? 0);
  const rollupRowBytes = sizes && sizes.rollupRows > 0 ? rollupBytes / sizes.rollupRows : 0;
  const perDay = { minute: Number(recent?.minute ?? 0) * rollupRowBytes, hour: Number(recent?.hour ?? 0) * rollupRowBytes, day: Number(recent?.day ?? 0) * rollupRowBytes };
  const databaseBytes = Number(sizes?.database ?? 0);
  const historyBytes = rawBytes + rollupBytes;
  const growthBytesPerDay = rawPerDay + perDay.minute + perDay.hour + perDay.day;
  const projectedBytes = databaseBytes - historyBytes + rawPerDay * retention.raw + perDay.minute * retention.minute + perDay.hour * retention.hour + perDay.day * retention.day;
  return { databaseBytes, historyBytes, growthBytesPerDay, projectedBytes: Math.max(databaseBytes, projectedBytes), retention };
}

export function formatBytes(n: number): string {
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}
