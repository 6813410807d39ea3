/**
 * `npm run bench:storage`: how many bytes a stored check costs on disk, and what that means at the default retention.
 *
 * Writes `--monitors` HTTP monitors × `--days` days of 60 s checks through the real write path
 * (recordCheckResults, in batches like the scheduler's result buffer), runs the real rollup job, then
 * VACUUM ANALYZE and sums pg_total_relation_size (heap + indexes + toast, every partition) of the raw results
 * and of the rollups. Prints `bytes per check: N` (all of it divided by the checks written) and the
 * projected size for 100 monitors at 60 s over the default retention (raw, minute, hour and day rollups
 * each kept as long as lib/env.ts says by default).
 *
 * Starts its own embedded PostgreSQL under .data/bench/<run> (or a throwaway database on DATABASE_URL's server).
 * Flags: --monitors 50  --days 7  --batch 1000  --failure-every 200  --keep
 */
import { parseArgs } from "node:util";
import { runBench, startBenchDatabase, useBenchDatabase } from "./support";

const { values: flags } = parseArgs({
  options: {
    monitors: { type: "string", default: "50" },
    days: { type: "string", default: "7" },
    batch: { type: "string", default: "1000" },
    "failure-every": { type: "string", default: "200" },
    keep: { type: "boolean", default: false },
  },
});
const MONITORS = Number(flags.monitors);
const DAYS = Number(flags.days);
const BATCH = Number(flags.batch);
const FAILURE_EVERY = Number(flags["failure-every"]);
const STEP_MS = 60_000;
const DAY_MS = 86_400_000;
const say = (m: string) => process.stdout.write(`${m}\n`);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const gb = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(2)} GB`;

/** A deterministic, irregular latency and outcome per (monitor, minute), like a real endpoint's. */
function sample(monitor: number, minute: number): { ok: boolean; latencyMs: number; detail: string } {
  const h = Math.imul(monitor * 2_654_435_761 + minute * 40_503, 2_246_822_519) >>> 0;
  if (h % FAILURE_EVERY === 0) return { ok: false, latencyMs: 10_000, detail: "timed out after 10000 ms" };
  return { ok: true, latencyMs: 20 + (h % 28_000) / 100, detail: "HTTP 200" };
}

interface Sizes {
  raw: number;
  rollups: number;
  rawRows: number;
  rollupRows: Record<"minute" | "hour" | "day", number>;
  relations: { name: string; bytes: number }[];
}

/** Every relation of the two tables (partitions included) with heap + indexes + toast. */
async function measure(): Promise<Sizes> {
  const { db } = await import("../lib/db/client");
  const client = db();
  await client.$executeRawUnsafe(`VACUUM ANALYZE "CheckResult"`);
  await client.$executeRawUnsafe(`VACUUM ANALYZE "CheckRollup"`);
  const relations = await client.$queryRawUnsafe<{ root: string; name: string; bytes: bigint }[]>(`
    SELECT t.root, c.relname AS name, pg_total_relation_size(c.oid) AS bytes
    FROM (VALUES (CASE WHEN to_regclass('"CheckResultData"') IS NULL THEN 'CheckResult' ELSE 'CheckResultData' END), ('CheckRollup')) AS t(root)
    CROSS JOIN LATERAL (SELECT relid FROM pg_partition_tree(quote_ident(t.root)::regclass) UNION SELECT quote_ident(t.root)::regclass) p
    JOIN pg_class c ON c.oid = p.relid
    ORDER BY 1, 2`);
  const sum = (root: string) => relations.filter((r) => r.root.startsWith(root)).reduce((s, r) => s + Number(r.bytes), 0);
  const rawRows = Number((await client.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "CheckResult"`))[0]!.n);
  const byBucket = await client.$queryRawUnsafe<{ bucket: string; n: bigint }[]>(`SELECT bucket::text, count(*) AS n FROM "CheckRollup" GROUP BY 1`);
  const rollupRows = { minute: 0, hour: 0, day: 0 };
  for (const b of byBucket) rollupRows[b.bucket as keyof typeof rollupRows] = Number(b.n);
  return { raw: sum("CheckResult"), rollups: sum("CheckRollup"), rawRows, rollupRows, relations: relations.map((r) => ({ name: r.name, bytes: Number(r.bytes) })) };
}

async function writeHistory(start: Date, end: Date): Promise<number> {
  const { db } = await import("../lib/db/client");
  const { recordCheckResults } = await import("../lib/health/results");
  const client = db();
  const ids: string[] = [];
  for (let i = 0; i < MONITORS; i++) {
    const m = await client.monitor.create({ data: { name: `storage ${i}`, type: "http", url: `https://example.invalid/${i}/health`, intervalSeconds: 60, status: "up" } });
    ids.push(m.id);
  }
  // The retention job keeps partitions a few days ahead; for history written into the past, create its days first.
  const partitioned = await client.$queryRaw<{ yes: boolean }[]>`SELECT to_regproc('deckhand_ensure_result_partitions') IS NOT NULL AS yes`;
  if (partitioned[0]?.yes) await client.$queryRaw`SELECT deckhand_ensure_result_partitions(${start.toISOString().slice(0, 10)}::date, ${end.toISOString().slice(0, 10)}::date + 3)`;
  const minutes = Math.round((end.getTime() - start.getTime()) / STEP_MS);
  let written = 0;
  let batch: Parameters<typeof recordCheckResults>[1] = [];
  const t0 = performance.now();
  for (let minute = 0; minute < minutes; minute++) {
    const at = new Date(start.getTime() + minute * STEP_MS);
    // Checks start spread over the minute, as the scheduler's slots are.
    for (let i = 0; i < MONITORS; i++) batch.push({ monitorId: ids[i]!, at: new Date(at.getTime() + Math.floor((i * STEP_MS) / MONITORS)), ...sample(i, minute) });
    if (batch.length >= BATCH || minute === minutes - 1) {
      await recordCheckResults(client, batch);
      written += batch.length;
      batch = [];
      if (minute % 1440 < BATCH / MONITORS) process.stdout.write(`\r  written ${written.toLocaleString("en")} of ${(minutes * MONITORS).toLocaleString("en")}`);
    }
  }
  const s = (performance.now() - t0) / 1000;
  say(`\r  wrote ${written.toLocaleString("en")} results through recordCheckResults in ${s.toFixed(0)} s (${Math.round(written / s).toLocaleString("en")} results/s, batches of ${BATCH})`);
  return written;
}

async function main(): Promise<number> {
  const database = await startBenchDatabase("storage", { say });
  try {
    await useBenchDatabase(database);
    const { env } = await import("../lib/env");
    const { rollUpResults } = await import("../lib/health/rollups");
    const { db } = await import("../lib/db/client");
    const e = env();
    const retention = {
      raw: e.DECKHAND_MONITOR_RAW_RETENTION_DAYS,
      minute: e.DECKHAND_MONITOR_MINUTE_ROLLUP_RETENTION_DAYS,
      hour: e.DECKHAND_MONITOR_ROLLUP_RETENTION_DAYS,
      day: e.DECKHAND_MONITOR_ROLLUP_RETENTION_DAYS,
    };
    const end = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
    const start = new Date(end.getTime() - DAYS * DAY_MS);
    say(`\n${MONITORS} HTTP monitors × ${DAYS} days at 60 s, 1 in ${FAILURE_EVERY} checks failing`);
    const written = await writeHistory(start, end);
    const t = performance.now();
    const progress = await rollUpResults(db(), { now: new Date(end.getTime() + 10 * 60_000) });
    say(`  rolled up in ${((performance.now() - t) / 1000).toFixed(0)} s (${progress.chunks} chunks)`);
    const s = await measure();
    for (const r of s.relations) say(`    ${r.name.padEnd(40)} ${mb(r.bytes).padStart(10)}`);
    const r = s.rollupRows;
    const rollupPerRow = s.rollups / Math.max(1, r.minute + r.hour + r.day);
    say(`  raw results: ${s.rawRows.toLocaleString("en")} rows, ${mb(s.raw)} (${(s.raw / s.rawRows).toFixed(1)} bytes per result)`);
    say(`  rollups: ${r.minute.toLocaleString("en")} minute + ${r.hour.toLocaleString("en")} hour + ${r.day.toLocaleString("en")} day rows, ${mb(s.rollups)} (${rollupPerRow.toFixed(1)} bytes per row)`);
    say(`bytes per check: ${((s.raw + s.rollups) / written).toFixed(1)}  (raw + rollups of the ${DAYS} days written, divided by ${written.toLocaleString("en")} checks)`);

    // 100 monitors at 60 s, each kind of row kept as long as the default retention says.
    const n = 100;
    const perDay = { raw: n * 1440 * (s.raw / s.rawRows), minute: n * 1440 * rollupPerRow, hour: n * 24 * rollupPerRow, day: n * rollupPerRow };
    const projected = perDay.raw * retention.raw + perDay.minute * retention.minute + perDay.hour * retention.hour + perDay.day * retention.day;
    const longest = Math.max(retention.raw, retention.minute, retention.hour, retention.day);
    say(
      `default retention: raw ${retention.raw} d, minute rollups ${retention.minute} d, hour ${retention.hour} d, day ${retention.day} d` +
        ` → raw ${gb(perDay.raw * retention.raw)}, minute ${gb(perDay.minute * retention.minute)}, hour ${gb(perDay.hour * retention.hour)}, day ${gb(perDay.day * retention.day)}`,
    );
    say(`projected size for ${n} monitors at 60 s over the default retention: ${gb(projected)} (${(projected / (n * 1440 * longest)).toFixed(1)} bytes per check averaged over ${longest} days)`);
    if (flags.keep) say(`kept: ${database.url}`);
    return 0;
  } finally {
    if (!flags.keep) {
      const { db } = await import("../lib/db/client");
      await db()
        .$disconnect()
        .catch(() => undefined);
      await database.dispose();
    }
  }
}

runBench("bench:storage", main);
