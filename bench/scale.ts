/**
 * `npm run bench:scale`: what one worker process achieves against three, on this machine, same setup each time.
 * Each worker is a real process (test/harness/worker-process.ts) with the default settings (4 deploys and 256
 * checks at once); one embedded PostgreSQL; 3 hosts (sshd in network + mount namespaces; root needed).
 *
 *   deploys/minute  a fixed batch: 12 apps (4 per host) × 3 deploys each, the apps in parallel and each app's
 *                   deploys one after the other (the per-app lock); build `sleep 1` stands for work done on the
 *                   servers. Requested through the same action the API calls, while the monitors below run.
 *   checks/s        2,000 HTTP monitors every 10 s (200 checks/s asked) for 60 s against a local server that
 *                   answers at once; then the same monitors for 40 s against one that answers after 2 s, where
 *                   the 256 checks one worker runs at once are the limit (2 s × 200/s = 400 in flight).
 * Flags: --workers 1,3  --seconds 60  --slow-seconds 40
 */
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { quantile, runBench } from "./support";

const { values: flags } = parseArgs({
  options: {
    workers: { type: "string", default: "1,3" },
    seconds: { type: "string", default: "60" },
    "slow-seconds": { type: "string", default: "40" },
  },
});
const WORKER_COUNTS = flags.workers.split(",").map(Number);
const SECONDS = Number(flags.seconds);
const SLOW_SECONDS = Number(flags["slow-seconds"]);
const MONITORS = 2_000;
const INTERVAL_S = 10;
const APPS = 12;
const DEPLOYS_PER_APP = 3;
const SLOW_MS = 2_000;
const ROOT = path.resolve(import.meta.dirname, "..");
const started = Date.now();
const say = (m: string) => process.stdout.write(`[bench +${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${m}\n`);

interface Figures {
  workers: number;
  deploysPerMinute: number;
  deployWallS: number;
  deployMedianS: number;
  deployStatuses: string;
  checksPerSecond: number;
  lagP99Ms: number;
  slowChecksPerSecond: number;
  slowLagP99Ms: number;
}

async function main(): Promise<number> {
  if (os.userInfo().uid !== 0) throw new Error("bench:scale needs root (the hosts are sshd in network namespaces), as the tests do");
  const { startCluster, startCheckTarget, insertMonitors, sleep, CLUSTER_SECRET } = await import("../test/harness/cluster");
  say("starting PostgreSQL (embedded, own data dir and port) and applying migrations");
  const cluster = await startCluster({ logDir: path.join(ROOT, "test-results", "bench-scale") });
  process.env.DATABASE_URL = cluster.url;
  process.env.DECKHAND_SECRET = CLUSTER_SECRET;
  process.env.LOG_LEVEL ??= "warn";

  const { startFleet, FLEET_ROOT } = await import("../test/harness/fleet");
  const { createTestRepo } = await import("../test/harness/git-app");
  let fleet: Awaited<ReturnType<typeof startFleet>> | null = null;
  let repo: ReturnType<typeof createTestRepo> | null = null;
  const targets: { stop(): Promise<void> }[] = [];
  const cleanup = async () => {
    const { db } = await import("../lib/db/client");
    await db()
      .$disconnect()
      .catch(() => undefined);
    await cluster.stop();
    await fleet?.stop();
    repo?.cleanup();
    for (const t of targets) await t.stop();
  };
  process.once("SIGINT", () => void cleanup().then(() => process.exit(130)));

  try {
    const { db } = await import("../lib/db/client");
    const { createServer } = await import("../lib/servers/servers");
    const { createApp } = await import("../lib/apps/apps");
    const { runAction } = await import("../lib/actions/core");
    const { startDeployAction } = await import("../lib/actions/deploys");
    const pool = cluster.pool;

    say("starting 3 hosts and the monitors' HTTP targets (one answering at once, one after 2 s)");
    fleet = await startFleet(3);
    repo = createTestRepo(2);
    const fast = await startCheckTarget();
    const slow = await startCheckTarget(SLOW_MS);
    targets.push(fast, slow);
    const serverIds: string[] = [];
    for (const h of fleet.hosts) {
      const { server } = await createServer(db(), { name: h.name, host: h.host, port: h.port, username: h.username, privateKey: h.privateKey, hostKeyFingerprint: h.hostKeyFingerprint });
      serverIds.push(server.id);
    }
    const apps: string[] = [];
    for (let i = 0; i < APPS; i++) {
      const name = `bench-${i + 1}`;
      const app = await createApp(db(), {
        name,
        repoUrl: repo.path,
        deployPath: `${FLEET_ROOT}/${name}`,
        keepReleases: 3,
        installCommand: "true",
        buildCommand: "sleep 1",
        smokeCommand: "test -f server.js",
        restartCommand: "true",
        serverIds: [serverIds[i % 3]!],
        strategy: "parallel",
        batchSize: 1,
      });
      apps.push(app.id);
    }
    const user = await db().user.create({ data: { email: `bench-${randomBytes(3).toString("hex")}@example.test`, passwordHash: "x", role: "deployer" } });
    const principal = { kind: "user" as const, id: user.id, email: user.email, name: null, role: "deployer" as const };
    const meta = { ip: "127.0.0.1", userAgent: "bench:scale" };
    const commits = repo.commits;

    const waitTerminal = async (id: string) => {
      for (;;) {
        const { rows } = await pool.query<{ status: string }>(`SELECT status::text FROM "Deploy" WHERE id = $1`, [id]);
        if (rows[0] && !["queued", "running"].includes(rows[0].status)) return rows[0].status;
        await sleep(100);
      }
    };
    let round = 0;
    const deployBatch = async (perApp: number) => {
      const ids: string[] = [];
      await Promise.all(
        apps.map(async (appId) => {
          for (let k = 0; k < perApp; k++) {
            const d = await runAction(startDeployAction, principal, { appId, ref: commits[(round + k) % 2]! }, meta);
            ids.push(d.id);
            await waitTerminal(d.id);
          }
        }),
      );
      round += perApp;
      return ids;
    };

    /** Results per second whose start falls in [from, to), and their start lag behind their slot. */
    const checkFigures = async (prefix: string, firstAt: number, from: number, to: number) => {
      const { rows } = await pool.query<{ id: string; at: string }>(
        `SELECT "monitorId" AS id, (extract(epoch FROM at) * 1000)::bigint::text AS at FROM "CheckResult"
         WHERE "monitorId" LIKE $1 AND at >= to_timestamp($2::float8 / 1000) AT TIME ZONE 'UTC' AND at < to_timestamp($3::float8 / 1000) AT TIME ZONE 'UTC'`,
        [`${prefix}-%`, from, to],
      );
      const lags = rows
        .map((r) => {
          const n = Number(r.id.slice(prefix.length + 1));
          const phase = firstAt + (n * INTERVAL_S * 1000) / MONITORS;
          // Distance to the nearest slot: a timer may fire a millisecond early.
          const interval = INTERVAL_S * 1000;
          const d = (((Number(r.at) - phase) % interval) + interval) % interval;
          return d > interval / 2 ? d - interval : d;
        })
        .sort((a, b) => a - b);
      return { perSecond: rows.length / ((to - from) / 1000), lagP99: quantile(lags, 0.99) };
    };

    // Every app gets its first release before anything is measured (first deploys create the layout).
    say(`warming up: one deploy of each of the ${APPS} apps`);
    const warm = await Promise.all([cluster.startWorker(), cluster.startWorker(), cluster.startWorker()]);
    await deployBatch(1);
    await Promise.all(warm.map((w) => cluster.stopProcess(w)));

    const results: Figures[] = [];
    for (const count of WORKER_COUNTS) {
      say(`--- ${count} worker${count > 1 ? "s" : ""} ---`);
      await pool.query(`DELETE FROM "Monitor"`);
      const workers = await Promise.all(Array.from({ length: count }, () => cluster.startWorker()));

      const prefix = `w${count}`;
      const firstAt = Date.now() + 1_000;
      await insertMonitors(pool, { count: MONITORS, prefix, port: fast.port, intervalSeconds: INTERVAL_S, firstAt: new Date(firstAt) });
      say(`${MONITORS} monitors every ${INTERVAL_S} s for ${SECONDS} s; meanwhile ${APPS} apps × ${DEPLOYS_PER_APP} deploys`);
      await sleep(firstAt - Date.now());
      const t0 = performance.now();
      const ids = await deployBatch(DEPLOYS_PER_APP);
      const deployWallS = (performance.now() - t0) / 1000;
      const { rows: deployRows } = await pool.query<{ status: string; seconds: number }>(`SELECT status::text, extract(epoch FROM "finishedAt" - "startedAt")::float8 AS seconds FROM "Deploy" WHERE id = ANY($1)`, [ids]);
      const statuses: Record<string, number> = {};
      for (const r of deployRows) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      say(`deploy batch: ${ids.length} in ${deployWallS.toFixed(1)} s`);
      const windowEnd = firstAt + SECONDS * 1000;
      if (windowEnd > Date.now()) await sleep(windowEnd - Date.now());
      await pool.query(`UPDATE "Monitor" SET status = 'paused'`);
      await sleep(3_000);
      const fastFigures = await checkFigures(prefix, firstAt, firstAt, windowEnd);

      say(`the same monitors against the target answering after ${SLOW_MS / 1000} s, ${SLOW_SECONDS} s`);
      await pool.query(`DELETE FROM "Monitor"`);
      const slowPrefix = `s${count}`;
      const slowFirstAt = Date.now() + 1_000;
      await insertMonitors(pool, { count: MONITORS, prefix: slowPrefix, port: slow.port, intervalSeconds: INTERVAL_S, firstAt: new Date(slowFirstAt) });
      // One interval to fill the pipeline, then the measured window.
      const slowFrom = slowFirstAt + INTERVAL_S * 1000;
      const slowTo = slowFrom + SLOW_SECONDS * 1000;
      await sleep(slowTo - Date.now());
      await pool.query(`UPDATE "Monitor" SET status = 'paused'`);
      await sleep(SLOW_MS + 3_000);
      const slowFigures = await checkFigures(slowPrefix, slowFirstAt, slowFrom, slowTo);
      await Promise.all(workers.map((w) => cluster.stopProcess(w)));

      const durations = deployRows.map((r) => r.seconds).sort((a, b) => a - b);
      results.push({
        workers: count,
        deploysPerMinute: (ids.length / deployWallS) * 60,
        deployWallS,
        deployMedianS: quantile(durations, 0.5),
        deployStatuses: Object.entries(statuses)
          .map(([s, n]) => `${n} ${s}`)
          .join(", "),
        checksPerSecond: fastFigures.perSecond,
        lagP99Ms: fastFigures.lagP99,
        slowChecksPerSecond: slowFigures.perSecond,
        slowLagP99Ms: slowFigures.lagP99,
      });
    }

    const cols = results.map((r) => `${r.workers} worker${r.workers > 1 ? "s" : ""}`.padStart(15)).join("");
    const row = (label: string, values: string[]) => `${label.padEnd(52)}${values.map((v) => v.padStart(15)).join("")}`;
    const ratio = (get: (f: Figures) => number) => (results.length > 1 ? `${(get(results[results.length - 1]!) / get(results[0]!)).toFixed(2)}×` : "");
    const lines = [
      "",
      `Deckhand scale-out: 1 vs 3 worker processes on this machine (${os.cpus().length} cores), one PostgreSQL, 3 namespaced sshd hosts`,
      "",
      `${"".padEnd(52)}${cols}${results.length > 1 ? "ratio".padStart(15) : ""}`,
      row(`deploys/minute (${APPS} apps × ${DEPLOYS_PER_APP}, build \`sleep 1\`)`, [...results.map((r) => r.deploysPerMinute.toFixed(1)), ratio((f) => f.deploysPerMinute)]),
      row(
        "  batch wall time",
        results.map((r) => `${r.deployWallS.toFixed(1)} s`),
      ),
      row(
        "  one deploy, median",
        results.map((r) => `${r.deployMedianS.toFixed(1)} s`),
      ),
      row(
        "  outcome",
        results.map((r) => r.deployStatuses),
      ),
      row(`checks/s, ${MONITORS} monitors @ ${INTERVAL_S} s (asks ${MONITORS / INTERVAL_S}/s)`, [...results.map((r) => r.checksPerSecond.toFixed(1)), ratio((f) => f.checksPerSecond)]),
      row(
        "  start lag p99",
        results.map((r) => `${r.lagP99Ms.toFixed(0)} ms`),
      ),
      row(`checks/s, same, targets answering in ${SLOW_MS / 1000} s`, [...results.map((r) => r.slowChecksPerSecond.toFixed(1)), ratio((f) => f.slowChecksPerSecond)]),
      row(
        "  start lag p99",
        results.map((r) => `${r.slowLagP99Ms.toFixed(0)} ms`),
      ),
      "",
      "Deploys: each worker runs 4 at once, so 12 apps in parallel queue behind 1 worker and not behind 3; their work",
      "(ssh, git, the build) is on the hosts, which here share the same 2 cores. Checks: against a fast target one",
      `worker already does all the schedule asks; against slow targets one worker's 256 slots cap it at 256 / ${SLOW_MS / 1000} s.`,
      "",
    ];
    process.stdout.write(lines.join("\n"));
    return 0;
  } finally {
    await cleanup();
  }
}

runBench("bench:scale", main);
