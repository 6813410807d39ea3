/**
 * `npm run bench:dispatch`: what making every health check a pg-boss job costs. The same schedule (10,000
 * monitors every 30 s = 333 checks/s, slots spread over the interval) is dispatched three ways for 60 s each,
 * with the check itself left out so only the dispatch is measured:
 *
 *   claim       claimDueMonitors alone (one statement claims every monitor due within 1 s and advances its
 *               next slot), then a local timer starts each check on its slot. No pg-boss.
 *   jobs-ahead  what the worker does (lib/health/scheduler.ts, lib/health/claim.ts): the same claim and, in its transaction, one
 *               pg-boss job per slot; jobs fetched ahead of their slot (ignoreStartAfter: every queued check is
 *               due within the look-ahead) every 200 ms, started by a local timer, deleted when done.
 *   jobs-poll   the same jobs fetched only once due (startAfter), by a loop polling every 100 ms (5× pg-boss's
 *               own minimum), completed in batches: plain pg-boss use.
 *
 * Prints dispatches/s, start lag (start minus slot) p50/p99/max, and CPU of this process and of PostgreSQL.
 * pg-boss's supervision (expiry, archiving of completed jobs) is off during the run, which favours pg-boss.
 * Flags: --monitors 10000  --seconds 60
 */
import { parseArgs } from "node:util";
import pg from "pg";
import { GroupCpu, postgresPids, quantile, runBench, startBenchDatabase, useBenchDatabase } from "./support";

const { values: flags } = parseArgs({
  options: { monitors: { type: "string", default: "10000" }, seconds: { type: "string", default: "60" } },
});
const MONITORS = Number(flags.monitors);
const SECONDS = Number(flags.seconds);
const INTERVAL_S = 30;
const LEAD_MS = 3_000;
const QUEUE = "bench-check";
const say = (m: string) => process.stdout.write(`${m}\n`);

interface Figures {
  perSecond: number;
  lag: { p50: number; p99: number; max: number };
  cpuSelf: number;
  cpuPostgres: number;
}

function quantiles(xs: number[]): { p50: number; p99: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: quantile(s, 0.5), p99: quantile(s, 0.99), max: s.at(-1) ?? NaN };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Mode = "claim" | "jobs-ahead" | "jobs-poll";

async function run(url: string, clusterDir: string | null, mode: Mode): Promise<Figures> {
  const { createDbClient } = await import("../lib/db/client");
  const { claimDueMonitors } = await import("../lib/health/claim");
  const { createBoss, inTransaction } = await import("../lib/jobs/queues");
  const raw = new pg.Client({ connectionString: url });
  await raw.connect();
  await raw.query(`TRUNCATE "Monitor" CASCADE`);
  await raw.query(
    `INSERT INTO "Monitor" (id, name, type, url, "intervalSeconds", "timeoutSeconds", retries, "nextRunAt", "updatedAt")
     SELECT 'bench-' || i, 'bench ' || i, 'http', 'http://127.0.0.1:1/', ${INTERVAL_S}, 10, 0,
            now() + make_interval(secs => ${LEAD_MS / 1000} + (i % $1::int) * ${INTERVAL_S}.0 / $1::int), now()
     FROM generate_series(0, $1::int - 1) AS i`,
    [MONITORS],
  );
  const client = createDbClient(url, 8);
  const boss = mode !== "claim" ? createBoss(url, "worker", { supervise: false, schedule: false }) : null;
  if (boss) {
    await boss.start();
    await boss.deleteQueue(QUEUE).catch(() => undefined);
    await boss.createQueue(QUEUE, { name: QUEUE, policy: "standard", retryLimit: 0 });
  }

  let measuring = false;
  const lags: number[] = [];
  const started = (slot: number) => {
    if (measuring) lags.push(Date.now() - slot);
  };
  let stopping = false;

  const claimLoop = (async () => {
    while (!stopping) {
      const now = new Date();
      const horizon = new Date(now.getTime() + 1_000);
      const timer = (slot: number) => setTimeout(() => started(slot), Math.max(0, slot - Date.now()));
      if (!boss) {
        for (const m of await claimDueMonitors(client, now, horizon, 2_000)) timer(m.runAt.getTime());
      } else {
        await client.$transaction(async (tx) => {
          const claimed = await claimDueMonitors(tx, now, horizon, 2_000);
          if (claimed.length) {
            await boss.insert(
              claimed.map((m) => ({ name: QUEUE, data: { slot: m.runAt.getTime() }, startAfter: m.runAt.toISOString() })),
              { db: inTransaction(tx) },
            );
          }
        });
        if (mode === "jobs-ahead") {
          const jobs = await boss.fetch<{ slot: number }>(QUEUE, { batchSize: 2_000, ignoreStartAfter: true });
          for (const j of jobs) timer(j.data.slot);
          if (jobs.length)
            await boss.deleteJob(
              QUEUE,
              jobs.map((j) => j.id),
            );
        }
      }
      await sleep(200);
    }
  })();
  const fetchLoop =
    mode === "jobs-poll" && boss
      ? (async () => {
          while (!stopping) {
            const jobs = await boss.fetch<{ slot: number }>(QUEUE, { batchSize: 500 });
            for (const j of jobs) started(j.data.slot);
            if (jobs.length)
              await boss.complete(
                QUEUE,
                jobs.map((j) => j.id),
              );
            if (jobs.length < 500) await sleep(100);
          }
        })()
      : Promise.resolve();

  await sleep(LEAD_MS + 2_000);
  const self0 = process.cpuUsage();
  const pgCpu = new GroupCpu(() => postgresPids(clusterDir));
  const t0 = Date.now();
  measuring = true;
  await sleep(SECONDS * 1_000);
  measuring = false;
  const elapsed = (Date.now() - t0) / 1000;
  const self = process.cpuUsage(self0);
  const figures: Figures = {
    perSecond: lags.length / elapsed,
    lag: quantiles(lags),
    cpuSelf: (self.user + self.system) / 1e6 / elapsed,
    cpuPostgres: pgCpu.seconds() / elapsed,
  };
  stopping = true;
  await Promise.all([claimLoop, fetchLoop]);
  await boss?.stop({ graceful: false });
  await client.$disconnect();
  await raw.query(`TRUNCATE "Monitor" CASCADE`);
  await raw.end();
  return figures;
}

async function main(): Promise<number> {
  const database = await startBenchDatabase("dispatch", { say });
  try {
    await useBenchDatabase(database);
    say(`${MONITORS} monitors every ${INTERVAL_S} s (${(MONITORS / INTERVAL_S).toFixed(1)} checks/s asked), ${SECONDS} s each, check itself left out`);
    const results: [string, Figures][] = [];
    for (const mode of ["claim", "jobs-ahead", "jobs-poll"] as const) {
      say(`running: ${mode}`);
      results.push([mode, await run(database.url, database.clusterDir, mode)]);
    }
    const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
    say("\n                         dispatched/s   lag p50   lag p99   lag max   CPU: this process   PostgreSQL");
    for (const [mode, f] of results) {
      say(
        `${mode.padEnd(24)} ${f.perSecond.toFixed(1).padStart(12)} ${`${f.lag.p50} ms`.padStart(9)} ${`${f.lag.p99} ms`.padStart(9)} ${`${f.lag.max} ms`.padStart(9)}` +
          ` ${pct(f.cpuSelf).padStart(19)} ${(database.clusterDir ? pct(f.cpuPostgres) : "n/a").padStart(12)}`,
      );
    }
    say("(CPU: 1 core = 100%; the machine has the cores `nproc` prints)");
    return 0;
  } finally {
    await database.dispose();
  }
}

runBench("bench:dispatch", main);
