/**
 * `npm run bench:health`: the health scheduler and the health queries, measured on this machine.
 *
 * (a) scheduler: 1,000 and 10,000 HTTP monitors at a 30 s interval (--interval) against local HTTP servers (a separate
 *     process, 8 ports on 127.0.0.1) for 2 minutes each, through the real scheduler (claims in SQL, bounded
 *     pool, batched writes of results, status changes and incidents): checks/s achieved against the schedule's
 *     rate, start lag (start time minus scheduled slot) p50/p99/max, and CPU of the scheduler process,
 *     the target servers, PostgreSQL and the whole machine.
 * (b) queries: 100 monitors with 90 days of 60 s history (~13 M results) generated in SQL and rolled up by
 *     the real rollup code; then the median of 21 runs of a monitor page's data (4 uptime windows + the
 *     90-day series; and the whole page: also recent checks, incidents, deploy markers) and of the overview.
 *
 * Starts its own embedded PostgreSQL under .data/bench/<run> on a free port (or, with DATABASE_URL set,
 * a throwaway database on that server). Flags: --sizes 1000,10000  --interval 30  --seconds 120  --concurrency 256
 * --days 90  --monitors 100  --runs 21  --skip-scheduler  --skip-queries  --keep
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import pg from "pg";
import { GroupCpu, machineTicks, postgresPids, quantileOf, runBench, startBenchDatabase, useBenchDatabase, type BenchDatabase } from "./support";

const { values: flags } = parseArgs({
  options: {
    sizes: { type: "string", default: "1000,10000" },
    interval: { type: "string", default: "30" },
    seconds: { type: "string", default: "120" },
    concurrency: { type: "string", default: "256" },
    days: { type: "string", default: "90" },
    monitors: { type: "string", default: "100" },
    runs: { type: "string", default: "21" },
    "skip-scheduler": { type: "boolean", default: false },
    "skip-queries": { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
  },
});
const SIZES = flags.sizes.split(",").map(Number);
const SECONDS = Number(flags.seconds);
const CONCURRENCY = Number(flags.concurrency);
const DAYS = Number(flags.days);
const QUERY_MONITORS = Number(flags.monitors);
const RUNS = Number(flags.runs);
const INTERVAL_S = Number(flags.interval);
if (!Number.isInteger(INTERVAL_S) || INTERVAL_S < 1) throw new Error(`--interval ${flags.interval}: whole seconds, at least 1`);
const TARGET_PORTS = 8;
const say = (m: string) => process.stdout.write(`${m}\n`);

// ---------- (a) scheduler ----------

/** A separate process serving 200 "ok" on several ports, so its CPU is not the scheduler's. */
async function startTargets(): Promise<{ ports: number[]; child: ChildProcess; cpu(): Promise<number>; stop(): void }> {
  const code = `
    const http = require("node:http");
    const servers = [];
    let ready = 0;
    for (let i = 0; i < ${TARGET_PORTS}; i++) {
      const s = http.createServer((req, res) => { res.writeHead(200, { "content-type": "text/plain" }); res.end("ok"); });
      s.keepAliveTimeout = 1000;
      s.listen(0, "127.0.0.1", () => { if (++ready === ${TARGET_PORTS}) process.send({ ports: servers.map((x) => x.address().port) }); });
      servers.push(s);
    }
    process.on("message", (m) => { if (m === "cpu") { const u = process.cpuUsage(); process.send({ cpu: (u.user + u.system) / 1e6 }); } });
  `;
  const child = spawn(process.execPath, ["-e", code], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const ports = await new Promise<number[]>((resolve) => child.once("message", (m) => resolve((m as { ports: number[] }).ports)));
  return {
    ports,
    child,
    cpu: () =>
      new Promise((resolve) => {
        child.once("message", (m) => resolve((m as { cpu: number }).cpu));
        child.send("cpu");
      }),
    stop: () => child.kill("SIGTERM"),
  };
}

interface SchedulerFigures {
  monitors: number;
  seconds: number;
  expectedPerSecond: number;
  checksPerSecond: number;
  written: number;
  lag: { p50: number; p99: number; max: number; samples: number };
  cpu: { scheduler: number; targets: number; postgres: number | null; machine: number };
  failures: number;
  failureKinds: string[];
}

async function benchScheduler(database: BenchDatabase, monitors: number): Promise<SchedulerFigures> {
  const { startHealthScheduler } = await import("../lib/health/scheduler");
  const targets = await startTargets();
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query(`TRUNCATE "Monitor" CASCADE`);
    await client.query(`DELETE FROM "Setting" WHERE key = 'health.rollup'`);
    const leadMs = 4_000;
    // Monitors are created over time in real life; their slots spread across the interval, as here.
    await client.query(
      `INSERT INTO "Monitor" (id, name, type, url, "intervalSeconds", "timeoutSeconds", retries, "nextRunAt", "updatedAt")
       SELECT 'bench-' || i, 'bench ' || i, 'http', 'http://127.0.0.1:' || ($1::int[])[1 + i % ${TARGET_PORTS}] || '/health',
              ${INTERVAL_S}, 10, 0, now() + make_interval(secs => ${leadMs / 1000} + (i % $2::int) * ${INTERVAL_S}.0 / $2::int), now()
       FROM generate_series(0, $2::int - 1) AS i`,
      [targets.ports, monitors],
    );
    const scheduler = await startHealthScheduler({ databaseUrl: database.url, concurrency: CONCURRENCY });
    await new Promise((r) => setTimeout(r, leadMs));
    scheduler.resetStats();
    const before = scheduler.stats();
    const cpu0 = process.cpuUsage();
    const targetCpu0 = await targets.cpu();
    const pgCpu = new GroupCpu(() => postgresPids(database.clusterDir));
    const machine0 = machineTicks();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const elapsed = (performance.now() - t0) / 1000;
    const after = scheduler.stats();
    const cpu1 = process.cpuUsage(cpu0);
    const targetCpu1 = await targets.cpu();
    const pgSeconds = database.clusterDir ? pgCpu.seconds() : null;
    const machine1 = machineTicks();
    await scheduler.stop();
    const written = Number((await client.query(`SELECT count(*) AS n FROM "CheckResult"`)).rows[0].n);
    const failures = Number((await client.query(`SELECT count(*) AS n FROM "CheckResult" WHERE NOT ok`)).rows[0].n);
    const failureKinds = (await client.query<{ detail: string; n: string }>(`SELECT detail, count(*)::text AS n FROM "CheckResult" WHERE NOT ok GROUP BY 1 ORDER BY 2 DESC LIMIT 3`)).rows.map((r) => `${r.n}× ${r.detail}`);
    return {
      monitors,
      seconds: elapsed,
      expectedPerSecond: monitors / INTERVAL_S,
      checksPerSecond: (after.completed - before.completed) / elapsed,
      written,
      lag: after.lagMs,
      cpu: {
        scheduler: (cpu1.user + cpu1.system) / 1e6 / elapsed,
        targets: (targetCpu1 - targetCpu0) / elapsed,
        postgres: pgSeconds === null ? null : pgSeconds / elapsed,
        machine: (machine1.busy - machine0.busy) / (machine1.total - machine0.total),
      },
      failures,
      failureKinds,
    };
  } finally {
    targets.stop();
    await client.query(`TRUNCATE "Monitor" CASCADE`).catch(() => undefined);
    await client.end();
  }
}

// ---------- (b) queries ----------

const median = (xs: number[]) => quantileOf(xs, 0.5);
const p95 = (xs: number[]) => quantileOf(xs, 0.95);

async function timeRuns(runs: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 3; i++) await fn(i);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn(i);
    times.push(performance.now() - t);
  }
  return times;
}

async function benchQueries() {
  const { db } = await import("../lib/db/client");
  const { generateResults } = await import("../lib/health/testing/synthetic");
  const { rollUpResults } = await import("../lib/health/rollups");
  const { getMonitorPage, getMonitorSeries, getMonitorUptime, listMonitorOverview } = await import("../lib/queries/monitors");
  const client = db();
  await client.$executeRawUnsafe(`TRUNCATE "Monitor" CASCADE`);
  await client.$executeRawUnsafe(`DELETE FROM "Setting" WHERE key = 'health.rollup'`);
  const now = new Date();
  const from = new Date(Math.floor((now.getTime() - DAYS * 86_400_000) / 60_000) * 60_000);
  const app = await client.app.create({ data: { name: `bench-app-${randomBytes(3).toString("hex")}`, repoUrl: "https://example.invalid/app.git", deployPath: "/srv/app" } });
  const ids: string[] = [];
  for (let i = 0; i < QUERY_MONITORS; i++) {
    const m = await client.monitor.create({
      data: { name: `q${String(i).padStart(3, "0")}`, type: "http", url: `http://127.0.0.1:9/${i}`, intervalSeconds: 60, status: i % 17 === 0 ? "down" : "up", appId: i < 10 ? app.id : null, lastCheckedAt: now },
    });
    ids.push(m.id);
  }
  // A deploy about every 9 days, so the app's monitor pages carry markers.
  for (let d = 1; d <= Math.floor(DAYS / 9); d++) {
    const at = new Date(now.getTime() - d * 9 * 86_400_000);
    const r = await client.release.create({ data: { appId: app.id, commit: randomBytes(20).toString("hex"), dir: `r${d}`, status: "succeeded", createdAt: at } });
    await client.deploy.create({
      data: { appId: app.id, kind: d % 4 === 0 ? "rollback" : "deploy", status: "succeeded", releaseId: r.id, actorLabel: "bench@example.com", createdAt: at, startedAt: at, finishedAt: new Date(at.getTime() + 60_000) },
    });
  }

  let t = performance.now();
  let rows = 0;
  const chunkDays = 10;
  for (let d = 0; d < DAYS; d += chunkDays) {
    const a = new Date(from.getTime() + d * 86_400_000);
    const b = new Date(Math.min(now.getTime(), from.getTime() + (d + chunkDays) * 86_400_000));
    rows += await generateResults(client, { monitorIds: ids, from: a, to: b, stepSeconds: 60 });
    process.stdout.write(`\r  generating results in SQL: ${rows.toLocaleString("en")}`);
  }
  const generateS = (performance.now() - t) / 1000;
  say(`\r  generated ${rows.toLocaleString("en")} results (${QUERY_MONITORS} monitors × ${DAYS} days at 60 s) in ${generateS.toFixed(0)} s`);
  t = performance.now();
  await client.$executeRawUnsafe(`VACUUM ANALYZE "CheckResult"`);
  say(`  VACUUM ANALYZE in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  t = performance.now();
  const progress = await rollUpResults(client, { now });
  const rollupS = (performance.now() - t) / 1000;
  await client.$executeRawUnsafe(`ANALYZE "CheckRollup"`);
  const rollupRows = await client.checkRollup.count();
  say(
    `  rolled up ${rows.toLocaleString("en")} results into ${rollupRows.toLocaleString("en")} minute/hour/day rows in ${rollupS.toFixed(0)} s (${progress.chunks} chunks of 6 h; ${Math.round(rows / rollupS).toLocaleString("en")} results/s)`,
  );
  const sizes = await client.$queryRawUnsafe<
    { rel: string; size: string }[]
  >(`SELECT 'CheckResultData (all day partitions)' AS rel, pg_size_pretty(sum(pg_total_relation_size(inhrelid))) AS size FROM pg_inherits WHERE inhparent = '"CheckResultData"'::regclass
     UNION ALL SELECT relname, pg_size_pretty(pg_total_relation_size(oid)) FROM pg_class WHERE relname = 'CheckRollup'`);
  say(`  on disk: ${sizes.map((s) => `${s.rel} ${s.size}`).join(", ")}`);

  const appMonitor = ids[0]!;
  const essentials = await timeRuns(RUNS, (i) => {
    const id = ids[(i * 7) % ids.length]!;
    const at = new Date();
    return Promise.all([...(["24h", "7d", "30d", "90d"] as const).map((w) => getMonitorUptime(id, w, at)), getMonitorSeries(id, { from: new Date(at.getTime() - 90 * 86_400_000), to: at, bucket: "day" })]);
  });
  const page = await timeRuns(RUNS, (i) => getMonitorPage(i % 2 ? appMonitor : ids[(i * 11) % ids.length]!, "90d"));
  const page24 = await timeRuns(RUNS, (i) => getMonitorPage(ids[(i * 13) % ids.length]!, "24h"));
  const overview = await timeRuns(RUNS, () => listMonitorOverview());
  const sample = await getMonitorPage(appMonitor, "90d");
  return {
    rows,
    rollupRows,
    generateS,
    rollupS,
    essentials,
    page,
    page24,
    overview,
    sampleCheck: { uptime90d: sample.uptime[3], points: sample.chart.points.length, markers: sample.chart.markers.length },
  };
}

function ms(v: number): string {
  return `${v.toFixed(1)} ms`;
}

function pct(v: number): string {
  return `${(v * 100).toFixed(0)}%`;
}

async function main(): Promise<number> {
  const database = await startBenchDatabase("health", { say });
  let disposed = false;
  const dispose = async () => {
    if (disposed || flags.keep) return;
    disposed = true;
    const { db } = await import("../lib/db/client");
    await db()
      .$disconnect()
      .catch(() => undefined);
    await database.dispose();
  };
  process.on("SIGINT", () => void dispose().then(() => process.exit(130)));
  let failed = false;
  try {
    await useBenchDatabase(database);
    say(`machine: ${(await import("node:os")).cpus().length} cores, Node ${process.version}`);

    if (!flags["skip-scheduler"]) {
      say(`\n(a) scheduler: HTTP monitors every ${INTERVAL_S} s against ${TARGET_PORTS} local ports, ${SECONDS} s each, concurrency ${CONCURRENCY}`);
      for (const n of SIZES) {
        const f = await benchScheduler(database, n);
        const ok = f.lag.p99 < 1000 && f.checksPerSecond >= f.expectedPerSecond * 0.97;
        failed ||= n >= 10_000 && !ok;
        say(
          `  ${n.toLocaleString("en").padStart(6)} monitors: ${f.checksPerSecond.toFixed(1)} checks/s (schedule asks ${f.expectedPerSecond.toFixed(1)}/s), ` +
            `start lag p50 ${ms(f.lag.p50)} p99 ${ms(f.lag.p99)} max ${ms(f.lag.max)} (${f.lag.samples.toLocaleString("en")} checks), ` +
            `${f.written.toLocaleString("en")} results written, ${f.failures} failed checks${f.failureKinds.length ? ` (${f.failureKinds.join("; ")})` : ""}`,
        );
        say(
          `                    CPU (1 core = 100%): scheduler ${pct(f.cpu.scheduler)}, target servers ${pct(f.cpu.targets)}, ` +
            `PostgreSQL ${f.cpu.postgres === null ? "n/a (external server)" : pct(f.cpu.postgres)}, whole machine ${pct(f.cpu.machine)} of 2 cores` +
            `${ok ? "" : "  ← misses the target (p99 lag < 1 s at the scheduled rate)"}`,
        );
      }
    }

    if (!flags["skip-queries"]) {
      say(`\n(b) queries: ${QUERY_MONITORS} monitors, ${DAYS} days of 60 s history`);
      const q = await benchQueries();
      const line = (label: string, xs: number[], target: number | null) => {
        const miss = target !== null && median(xs) >= target;
        failed ||= miss;
        say(`  ${label.padEnd(58)} median ${ms(median(xs))}  p95 ${ms(p95(xs))}${target === null ? "" : `  (target < ${target} ms${miss ? ": MISSED" : ""})`}`);
      };
      line("monitor page data: 4 uptime windows + 90-day series", q.essentials, 100);
      line("whole monitor page (90d range: + checks, incidents, markers)", q.page, 100);
      line("whole monitor page (24h range)", q.page24, 100);
      line(`overview (${QUERY_MONITORS} monitors: status, uptime 24 h + 30 d, sparkline)`, q.overview, 200);
      say(
        `  sanity: an app monitor's 90 d uptime ${q.sampleCheck.uptime90d?.uptimePercent}% over ${q.sampleCheck.uptime90d?.checks.toLocaleString("en")} checks, ${q.sampleCheck.points} chart points, ${q.sampleCheck.markers} deploy markers`,
      );
    }
    if (flags.keep) say(`\nkept: ${database.url}`);
    return failed ? 1 : 0;
  } finally {
    await dispose();
  }
}

runBench("bench:health", main);
