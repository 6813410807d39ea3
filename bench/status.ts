/**
 * `npm run bench:status`: public status pages under a crowd, on the built app, while the health scheduler runs.
 *
 * Seeds a status page (3 groups × 5 monitors with 90 days of history at 5 min, rolled up by the real rollup
 * code), starts the built web process (scripts/web-server.ts, like production) and, in this process, the real
 * health scheduler with 1,000 HTTP monitors at a 30 s interval against a local target process. A separate load
 * process (its own event loop, so it does not delay the scheduler's) keeps `--concurrency` requests in flight on
 * keep-alive connections for `--seconds` against the open JSON, then the HTML page (gzip, then plain). Prints requests/s, p50/p99
 * latency of each, and the scheduler's start lag p50/p99 during the load.
 *   npm run bench:status [-- --seconds 20 --concurrency 16 --monitors 1000]
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { freePort, runBench, startBenchDatabase, useBenchDatabase } from "./support";

const ROOT = path.resolve(import.meta.dirname, "..");
const DIST_DIR = ".next-test";
const { values: flags } = parseArgs({ options: { seconds: { type: "string", default: "20" }, concurrency: { type: "string", default: "16" }, monitors: { type: "string", default: "1000" } } });
const SECONDS = Number(flags.seconds);
const CONCURRENCY = Number(flags.concurrency);
const MONITORS = Number(flags.monitors);
const SLUG = "bench";
const say = (m: string) => process.stdout.write(`[status] ${m}\n`);

async function ensureBuild(): Promise<void> {
  const { buildIsCurrent, sourceFingerprint, stampFile } = await import("../lib/build-stamp");
  if (buildIsCurrent(ROOT, DIST_DIR) && existsSync(path.join(ROOT, DIST_DIR, "BUILD_ID"))) return;
  say(`building the web app into ${DIST_DIR}`);
  execFileSync(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "build"], {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, DECKHAND_DIST_DIR: DIST_DIR, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production", DECKHAND_SECRET: "build-time-secret-build-time-secret-0123" },
  });
  writeFileSync(stampFile(ROOT, DIST_DIR), sourceFingerprint(ROOT));
}

/**
 * The load: `concurrency` loops of GET on keep-alive node:http connections for `seconds`, reading each body
 * as it comes (not unzipping it: the server's cost is measured, not this process's); answers counts and
 * sorted latencies. Accept-Encoding is gzip, as browsers send, unless `encoding` says otherwise.
 */
const LOAD_CODE = `
  const http = require("node:http");
  const [url, seconds, concurrency, encoding] = [new URL(process.argv[1]), Number(process.argv[2]), Number(process.argv[3]), process.argv[4] || "gzip"];
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const get = () => new Promise((resolve, reject) => {
    const req = http.get({ hostname: url.hostname, port: url.port, path: url.pathname + url.search, agent, headers: { "accept-encoding": encoding } }, (res) => {
      res.on("data", () => {}); res.on("end", () => resolve(res.statusCode)); res.on("error", reject);
    });
    req.on("error", reject);
  });
  const lat = []; const statuses = {}; const end = performance.now() + seconds * 1000;
  const one = async () => { while (performance.now() < end) { const t = performance.now();
    try { const status = await get(); statuses[status] = (statuses[status] || 0) + 1; } catch { statuses.error = (statuses.error || 0) + 1; }
    lat.push(performance.now() - t); } };
  const t0 = performance.now();
  Promise.all(Array.from({ length: concurrency }, one)).then(() => {
    const elapsed = (performance.now() - t0) / 1000; lat.sort((a, b) => a - b);
    const q = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];
    process.stdout.write(JSON.stringify({ requests: lat.length, elapsed, statuses, p50: q(0.5), p99: q(0.99), max: lat[lat.length - 1] }));
  });
`;

interface Load {
  requests: number;
  elapsed: number;
  statuses: Record<string, number>;
  p50: number;
  p99: number;
  max: number;
}

/** `encoding`: the Accept-Encoding to send (gzip when not given). */
function runLoad(url: string, seconds: number, encoding = ""): Promise<Load> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", LOAD_CODE, url, String(seconds), String(CONCURRENCY), encoding], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.once("exit", (code) => (code === 0 ? resolve(JSON.parse(out) as Load) : reject(new Error(`load process exited ${code}`))));
  });
}

function startTargets(): Promise<{ port: number; child: ChildProcess }> {
  const code = `const s = require("node:http").createServer((q, r) => { r.writeHead(200); r.end("ok"); }); s.keepAliveTimeout = 1000; s.listen(0, "127.0.0.1", () => process.send(s.address().port));`;
  const child = spawn(process.execPath, ["-e", code], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return new Promise((resolve) => child.once("message", (port) => resolve({ port: port as number, child })));
}

async function seed(url: string, targetPort: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO "Monitor" (id, name, type, url, "intervalSeconds", "timeoutSeconds", retries, status, "nextRunAt", "updatedAt")
       SELECT 'bench-' || i, 'bench ' || i, 'http', 'http://127.0.0.1:${targetPort}/health', 30, 10, 0, 'up', now() + make_interval(secs => 4 + (i % $1::int) * 30.0 / $1::int), now()
       FROM generate_series(0, $1::int - 1) AS i`,
      [MONITORS],
    );
    await client.query(`INSERT INTO "StatusPage" (id, slug, title, footer, "updatedAt") VALUES ('bench-page', $1, 'Bench status', 'Measured by npm run bench:status', now())`, [SLUG]);
    for (let g = 0; g < 3; g++) {
      await client.query(`INSERT INTO "StatusPageGroup" (id, "pageId", name, position) VALUES ($1, 'bench-page', $2, $3)`, [`g${g}`, `Group ${g + 1}`, g]);
      for (let m = 0; m < 5; m++) await client.query(`INSERT INTO "StatusPageMonitor" ("groupId", "monitorId", position, "displayName") VALUES ($1, $2, $3, $4)`, [`g${g}`, `bench-${g * 5 + m}`, m, `Service ${g * 5 + m + 1}`]);
    }
    await client.query(`INSERT INTO "StatusIncident" (id, "pageId", title, state, "resolvedAt") VALUES ('bench-inc', 'bench-page', 'Slow answers', 'resolved', now())`);
    await client.query(`INSERT INTO "StatusIncidentUpdate" (id, "incidentId", state, body, author) VALUES ('u1', 'bench-inc', 'investigating', 'Looking into it.', 'bench'), ('u2', 'bench-inc', 'resolved', 'Fixed.', 'bench')`);
  } finally {
    await client.end();
  }
  const { db } = await import("../lib/db/client");
  const { generateResults } = await import("../lib/health/testing/synthetic");
  const { rollUpResults } = await import("../lib/health/rollups");
  const now = new Date();
  const from = new Date(Math.floor((now.getTime() - 90 * 86_400_000) / 60_000) * 60_000);
  const ids = Array.from({ length: 15 }, (_, i) => `bench-${i}`);
  const t = performance.now();
  const rows = await generateResults(db(), { monitorIds: ids, from, to: new Date(now.getTime() - 10 * 60_000), stepSeconds: 300, failureEvery: 97 });
  await rollUpResults(db(), { now });
  say(`seeded ${MONITORS} monitors (15 on the page) and ${rows.toLocaleString("en")} results over 90 days, rolled up, in ${((performance.now() - t) / 1000).toFixed(0)} s`);
}

async function waitForHealth(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (
    (await fetch(`${url}/api/health`).then(
      (r) => r.status,
      () => 0,
    )) === 0
  ) {
    if (Date.now() > deadline) throw new Error("the web process did not answer /api/health");
    await new Promise((r) => setTimeout(r, 300));
  }
}

const fmt = (l: Load) =>
  `${Math.round(l.requests / l.elapsed).toLocaleString("en")} requests/s, p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms, max ${l.max.toFixed(0)} ms (${l.requests.toLocaleString("en")} requests in ${l.elapsed.toFixed(1)} s; answers ${Object.entries(
    l.statuses,
  )
    .map(([s, n]) => `${s}×${n}`)
    .join(" ")})`;

async function main(): Promise<number> {
  await ensureBuild();
  const database = await startBenchDatabase("status", { say });
  await useBenchDatabase(database);
  const targets = await startTargets();
  await seed(database.url, targets.port);
  const port = await freePort();
  const web = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/web-server.ts")], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), DECKHAND_HOST: "127.0.0.1", NODE_ENV: "production", DECKHAND_DIST_DIR: DIST_DIR, LOG_LEVEL: "error" },
    stdio: "ignore",
  });
  const url = `http://127.0.0.1:${port}`;
  const { startHealthScheduler } = await import("../lib/health/scheduler");
  const scheduler = await startHealthScheduler({ databaseUrl: database.url, concurrency: 64 });
  let failed = false;
  try {
    await waitForHealth(url);
    for (let i = 0; i < 20; i++) for (const p of [`/api/public/status/${SLUG}`, `/status/${SLUG}`]) await fetch(`${url}${p}`).then((r) => r.arrayBuffer());
    const sample = (await (await fetch(`${url}/api/public/status/${SLUG}`)).json()) as { groups: { monitors: { uptime90d: number | null }[] }[] };
    say(`page: ${sample.groups.length} groups, ${sample.groups.flatMap((g) => g.monitors).length} monitors, first uptime90d ${sample.groups[0]?.monitors[0]?.uptime90d}`);
    const html = await fetch(`${url}/status/${SLUG}`);
    say(
      `page HTML: ${(Buffer.byteLength(await html.text()) / 1024).toFixed(1)} KiB, ${(Number(html.headers.get("content-length")) / 1024).toFixed(1)} KiB sent as ${html.headers.get("content-encoding") ?? "identity"} (${html.headers.get("x-deckhand-status-page") === "copy" ? "served from its rendered copy" : "rendered by Next"})`,
    );
    say(`scheduler: ${MONITORS} HTTP monitors at 30 s (${(MONITORS / 30).toFixed(0)} checks/s) in this process; load: ${CONCURRENCY} requests in flight from a separate process`);
    for (const [name, p, encoding] of [
      ["JSON  /api/public/status/bench", `/api/public/status/${SLUG}`, ""],
      ["page  /status/bench (gzip)", `/status/${SLUG}`, ""],
      ["page  /status/bench (identity)", `/status/${SLUG}`, "identity"],
    ] as const) {
      await new Promise((r) => setTimeout(r, 2_000));
      scheduler.resetStats();
      const load = await runLoad(`${url}${p}`, SECONDS, encoding);
      const lag = scheduler.stats().lagMs;
      say(`${name}: ${fmt(load)}`);
      say(`  scheduler start lag meanwhile: p50 ${lag.p50.toFixed(1)} ms, p99 ${lag.p99.toFixed(1)} ms, max ${lag.max.toFixed(0)} ms (${lag.samples} starts)`);
      if (load.requests / load.elapsed < 1_000 || load.p99 >= 50 || lag.p99 >= 100) failed = true;
    }
    say(failed ? "target missed (JSON and page each: ≥ 1,000 requests/s, p99 < 50 ms; scheduler p99 lag < 100 ms)" : "target met (JSON and page each: ≥ 1,000 requests/s, p99 < 50 ms; scheduler p99 lag < 100 ms)");
    return failed ? 1 : 0;
  } finally {
    await scheduler.stop();
    web.kill("SIGTERM");
    targets.child.kill("SIGTERM");
    await new Promise((r) => web.once("exit", r));
    const { db } = await import("../lib/db/client");
    await db()
      .$disconnect()
      .catch(() => undefined);
    await database.dispose();
  }
}

runBench("bench:status", main);
