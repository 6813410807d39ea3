/**
 * `npm test`: everything the tests need, started here, then every test.
 *   0. the layout rules (npm run check:rooms) and the lint (npm run lint: ESLint, prettier --check), unless only some files are asked for
 *   1. system packages (Chromium, OpenSSH server, git): installed with apt when root, else one line naming them
 *   2. PostgreSQL: DATABASE_URL when given, else a throwaway embedded one under .data/test
 *   3. a migrated template database; every test file and app instance gets a clone
 *   4. the web app built into .next-test and started twice (one for API tests, one for the browser)
 *   5. vitest (unit + integration against real Postgres/sshd/git), then Playwright in Chromium
 *   6. full runs only: the multi-process scale test, then docs/deploy.md's commands (docs:check; root only)
 * Flags: --unit (vitest only, no browser), --e2e (Playwright only; file filters then pick the specs), --no-app (vitest without building or
 * starting the web app: for quick runs of files that do not call it), then vitest file filters.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

const root = path.resolve(import.meta.dirname, "..");
const argv = process.argv.slice(2);
const args = new Set(argv.filter((a) => a.startsWith("--")));
/** Positional arguments are vitest file filters (e.g. `npm run test:unit -- --no-app lib/ssh`). */
const filters = argv.filter((a) => !a.startsWith("--"));
const withApp = !args.has("--no-app");
const wantUnit = !args.has("--e2e");
const wantE2e = !args.has("--unit");
const distDir = ".next-test";
const TEST_SECRET = "deckhand-test-secret-not-for-production-0123456789";
const say = (m: string) => process.stdout.write(`[test] ${m}\n`);

function die(message: string): never {
  process.stderr.write(`[test] ${message}\n`);
  process.exit(1);
}

export function chromiumPath(): string | undefined {
  const candidates = [process.env.DECKHAND_CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  return candidates.find((c): c is string => !!c && existsSync(c));
}

function ensureSystemPackages(): void {
  const missing: string[] = [];
  if (!existsSync("/usr/sbin/sshd")) missing.push("openssh-server");
  if (!spawnSync("git", ["--version"]).stdout?.length) missing.push("git");
  if (wantE2e && !chromiumPath()) missing.push("chromium");
  if (!existsSync("/usr/bin/promtool")) missing.push("prometheus"); // promtool validates /metrics
  if (missing.length === 0) return;
  const canApt = os.userInfo().uid === 0 && existsSync("/usr/bin/apt-get");
  if (!canApt) die(`missing system packages: install them with: sudo apt-get install -y ${missing.join(" ")}`);
  say(`installing missing system packages with apt: ${missing.join(" ")}`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  const r = spawnSync("apt-get", ["install", "-y", "-qq", ...missing], { stdio: "inherit", env });
  if (r.status !== 0) die(`apt-get install failed: install by hand: apt-get install -y ${missing.join(" ")}`);
}

function node(script: string, scriptArgs: string[], env: NodeJS.ProcessEnv, opts: { quiet?: boolean } = {}): ChildProcess {
  return spawn(process.execPath, [script, ...scriptArgs], { cwd: root, env, stdio: opts.quiet ? ["ignore", "pipe", "pipe"] : "inherit" });
}

function exitCode(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

const bin = (p: string) => path.join(root, "node_modules", p);
const tsx = bin("tsx/dist/cli.mjs");

async function waitForHealth(url: string, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) die(`app at ${url} exited during start-up (code ${child.exitCode})`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  die(`app at ${url} did not become healthy within ${timeoutMs / 1000}s`);
}

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
  /** What failed, one short line each, repeated at the end of the run (CI shows only the tail of the output). */
  failures?: string[];
}

const oneLine = (text: string, max = 400) => {
  const flat = text
    .replace(/\x1b\[[0-9;]*m/g, "")
    .replace(/\s+/g, " ")
    .trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
};

function readVitestTally(file: string): Tally {
  if (!existsSync(file)) return { passed: 0, failed: 1, skipped: 0 };
  const r = JSON.parse(readFileSync(file, "utf8")) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    testResults?: { name: string; message?: string; assertionResults?: { fullName: string; status: string; failureMessages?: string[] }[] }[];
  };
  const failures: string[] = [];
  for (const file of r.testResults ?? []) {
    const where = path.relative(root, file.name);
    const failed = (file.assertionResults ?? []).filter((a) => a.status === "failed");
    for (const a of failed) failures.push(`${where} › ${a.fullName}: ${oneLine(a.failureMessages?.[0] ?? "")}`);
    if (failed.length === 0 && file.message) failures.push(`${where}: ${oneLine(file.message)}`);
  }
  return { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + r.numTodoTests, failures };
}

function readPlaywrightTally(file: string): Tally {
  if (!existsSync(file)) return { passed: 0, failed: 1, skipped: 0 };
  interface Suite {
    title: string;
    file?: string;
    specs?: { title: string; file: string; tests: { status: string; results: { error?: { message?: string } }[] }[] }[];
    suites?: Suite[];
  }
  const r = JSON.parse(readFileSync(file, "utf8")) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number }; suites?: Suite[] };
  const failures: string[] = [];
  const walk = (suite: Suite, titles: string[]) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests.filter((x) => x.status === "unexpected")) {
        failures.push(`${spec.file} › ${[...titles, spec.title].join(" › ")}: ${oneLine(t.results.at(-1)?.error?.message ?? "")}`);
      }
    }
    for (const child of suite.suites ?? []) walk(child, [...titles, child.title]);
  };
  for (const suite of r.suites ?? []) walk(suite, []);
  return { passed: r.stats.expected + r.stats.flaky, failed: r.stats.unexpected, skipped: r.stats.skipped, failures };
}

/** Runs a script under tsx, echoing what it prints; resolves to its exit code and its stdout. */
async function runEchoed(script: string, scriptArgs: string[]): Promise<{ code: number; out: string }> {
  const child = node(tsx, [script, ...scriptArgs], { ...process.env, NEXT_TELEMETRY_DISABLED: "1" }, { quiet: true });
  let out = "";
  child.stdout?.on("data", (c: Buffer) => {
    out += c.toString();
    process.stdout.write(c);
  });
  child.stderr?.on("data", (c: Buffer) => process.stderr.write(c));
  // 'close', not 'exit': only then has all of its output been read (the closing tally line comes last).
  const code = await new Promise<number>((resolve) => child.on("close", (c, signal) => resolve(c ?? (signal ? 1 : 0))));
  return { code, out };
}

/** Runs scripts/scale-test.ts on the build just made and reads its closing `N passed, N failed` line. */
async function runScaleTest(): Promise<Tally> {
  const { out } = await runEchoed("scripts/scale-test.ts", ["--no-build"]);
  const failures = [...out.matchAll(/^ {2}✖ (.*)$/gm), ...out.matchAll(/^\[scale\] (.*)$/gm)].map((m) => oneLine(m[1]!, 700));
  return { ...lastTally(out), failures };
}

/**
 * Runs scripts/deploy-doc-check.ts (`npm run docs:check`): docs/deploy.md's commands for real against a local
 * sshd. Each check it makes is one test; a failure is one failed test. It needs root, Debian's PostgreSQL
 * server and systemd-analyze, as the doc does; where it cannot run (its exit code 3, with the reason
 * printed) it is one skipped test.
 */
async function runDocsCheck(): Promise<Tally> {
  const { code, out } = await runEchoed("scripts/deploy-doc-check.ts", []);
  if (code === 3) {
    say("docs:check skipped: this machine cannot run docs/deploy.md's commands (the reason is printed above)");
    return { passed: 0, failed: 0, skipped: 1 };
  }
  const ok = (out.match(/^\[docs:check\] ok: /gm) ?? []).length;
  const failures = [...out.matchAll(/^\[docs:check\] FAILED (.*)$/gm)].map((m) => oneLine(m[1]!, 700));
  return code === 0 && ok > 0 ? { passed: ok, failed: 0, skipped: 0 } : { passed: ok, failed: 1, skipped: 0, failures };
}

/** Runs `npm run check:rooms` (the layout rules, each one test) and reads its closing tally line. */
async function runRoomsCheck(): Promise<Tally> {
  const { out } = await runEchoed("scripts/check-rooms.ts", []);
  return { ...lastTally(out), failures: [...out.matchAll(/^\[rooms\] FAIL: (.*)$/gm)].map((m) => oneLine(m[1]!)) };
}

/** Runs `npm run lint` (ESLint and prettier --check, each one test) and reads its closing tally line. */
async function runLintCheck(): Promise<Tally> {
  const { out } = await runEchoed("scripts/lint.ts", []);
  return { ...lastTally(out), failures: [...out.matchAll(/^\[lint\] FAIL: (.*)$/gm)].map((m) => oneLine(m[1]!)) };
}

function lastTally(out: string): Tally {
  const m = [...out.matchAll(/^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/gm)].at(-1);
  if (!m) return { passed: 0, failed: 1, skipped: 0 };
  return { passed: Number(m[1]), failed: Number(m[2]), skipped: Number(m[3] ?? 0) };
}

/** DATABASE_URL when given, else a throwaway embedded PostgreSQL of this run's own (own data dir and port). */
async function startTestPostgres(): Promise<{ adminUrl: string; stop(): Promise<void> }> {
  if (process.env.DATABASE_URL) {
    say("using the PostgreSQL at DATABASE_URL (test databases are created and dropped there)");
    return { adminUrl: process.env.DATABASE_URL, stop: async () => undefined };
  }
  const { ensureEmbeddedPostgres } = await import("../lib/db/embedded");
  const { freePort } = await import("../test/harness/ports");
  // Each run gets its own cluster and port, so runs side by side (or a running dashboard) never collide.
  const dataDir = path.join(root, ".data", "test", `run-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  say("starting a throwaway embedded PostgreSQL");
  const embedded = await ensureEmbeddedPostgres({ dataDir, port: await freePort(), database: "postgres" });
  return {
    adminUrl: embedded.url,
    async stop() {
      await embedded.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A fresh migrated template database (every test file and app instance gets a clone); stale clones dropped. */
async function prepareTemplate(adminUrl: string): Promise<void> {
  const { withDatabase } = await import("../lib/db/url");
  const { migrateDatabase } = await import("../lib/db/migrate");
  const { TEMPLATE_DB } = await import("../test/harness/postgres");
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${TEMPLATE_DB}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${TEMPLATE_DB}"`);
  const stale = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'deckhand\\_%' AND datname <> $1`, [TEMPLATE_DB]);
  for (const { datname } of stale.rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  await admin.end();
  say("migrating the template database");
  await migrateDatabase(withDatabase(adminUrl, TEMPLATE_DB));
}

interface TestRun {
  adminUrl: string;
  baseEnv: NodeJS.ProcessEnv;
  outDir: string;
  children: ChildProcess[];
}

/** Starts the built app on its own clone of the template database; resolves once /api/health answers. */
async function startApp(run: TestRun, name: string, port: number, extra: Record<string, string> = {}) {
  const { withDatabase } = await import("../lib/db/url");
  const { TEMPLATE_DB } = await import("../test/harness/postgres");
  const admin = new pg.Client({ connectionString: run.adminUrl });
  await admin.connect();
  const dbName = `deckhand_app_${name}`;
  await admin.query(`CREATE DATABASE "${dbName}" TEMPLATE "${TEMPLATE_DB}"`);
  await admin.end();
  const databaseUrl = withDatabase(run.adminUrl, dbName);
  const logFile = path.join(run.outDir, `app-${name}.log`);
  const dataDir = path.join(root, ".data", "test", `run-${process.pid}-app-${name}`);
  const env = { ...run.baseEnv, ...extra, DATABASE_URL: databaseUrl, PORT: String(port), DECKHAND_HOST: "127.0.0.1", DECKHAND_DATA_DIR: dataDir };
  const child = node("--import", ["tsx", "scripts/start.ts"], env, { quiet: true });
  // Written as it comes, so a test can read the server log of the running app (DECKHAND_TEST_APP_LOG).
  const logStream = createWriteStream(logFile);
  child.stdout?.on("data", (c: Buffer) => logStream.write(c));
  child.stderr?.on("data", (c: Buffer) => logStream.write(c));
  child.on("exit", () => logStream.end());
  run.children.push(child);
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child);
  say(`app "${name}" up at ${url} (log: test-results/app-${name}.log)`);
  return { url, databaseUrl, logFile };
}

async function ensureBuild(baseEnv: NodeJS.ProcessEnv): Promise<void> {
  const { buildIsCurrent, sourceFingerprint, stampFile } = await import("../lib/build-stamp");
  if (buildIsCurrent(root, distDir)) return;
  say("building the web app into .next-test");
  const code = await exitCode(node(bin("next/dist/bin/next"), ["build"], baseEnv));
  if (code !== 0) die("next build failed");
  writeFileSync(stampFile(root, distDir), sourceFingerprint(root));
}

async function runVitest(run: TestRun): Promise<Tally> {
  const { freePort } = await import("../test/harness/ports");
  const apiPort = await freePort();
  // DECKHAND_PUBLIC_URL: alerts sent by this app link back to it, so tests can follow the links.
  const api = withApp ? await startApp(run, "api", apiPort, { DECKHAND_TRUST_PROXY: "true", DECKHAND_PUBLIC_URL: `http://127.0.0.1:${apiPort}` }) : null;
  say("running vitest");
  const report = path.join(run.outDir, "vitest.json");
  rmSync(report, { force: true });
  await exitCode(
    node(bin("vitest/vitest.mjs"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...filters], {
      ...run.baseEnv,
      NODE_ENV: "test",
      ...(api ? { DECKHAND_TEST_BASE_URL: api.url, DECKHAND_TEST_APP_DATABASE_URL: api.databaseUrl, DECKHAND_TEST_APP_LOG: api.logFile } : {}),
    }),
  );
  return readVitestTally(report);
}

async function runPlaywright(run: TestRun): Promise<Tally> {
  const { freePort } = await import("../test/harness/ports");
  const e2ePort = await freePort();
  const e2e = await startApp(run, "e2e", e2ePort, { DECKHAND_PUBLIC_URL: `http://127.0.0.1:${e2ePort}` });
  say("running Playwright in Chromium");
  const report = path.join(run.outDir, "playwright.json");
  rmSync(report, { force: true });
  await exitCode(
    // With --e2e alone, the file filters pick the specs (npm run test:e2e -- e2e/04-alerts.spec.ts).
    node(bin("@playwright/test/cli.js"), ["test", ...(wantUnit ? [] : filters)], {
      ...run.baseEnv,
      NODE_ENV: "test",
      DECKHAND_E2E_BASE_URL: e2e.url,
      DECKHAND_E2E_DATABASE_URL: e2e.databaseUrl,
      PLAYWRIGHT_JSON_OUTPUT_NAME: report,
    }),
  );
  return readPlaywrightTally(report);
}

async function main(): Promise<number> {
  ensureSystemPackages();
  const started = Date.now();
  const outDir = path.join(root, "test-results");
  mkdirSync(outDir, { recursive: true });
  const fullRun = wantUnit && wantE2e && withApp && filters.length === 0;
  const tallies: { name: string; tally: Tally }[] = [];
  if (wantUnit && filters.length === 0) {
    say("checking the rooms (npm run check:rooms)");
    tallies.push({ name: "rooms", tally: await runRoomsCheck() });
    say("linting (npm run lint)");
    tallies.push({ name: "lint", tally: await runLintCheck() });
  }

  const postgres = await startTestPostgres();
  const run: TestRun = {
    adminUrl: postgres.adminUrl,
    outDir,
    children: [],
    baseEnv: { ...process.env, DECKHAND_TEST_ADMIN_URL: postgres.adminUrl, DECKHAND_SECRET: TEST_SECRET, DECKHAND_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
  };
  const cleanup = async () => {
    for (const c of run.children) if (c.exitCode === null) c.kill("SIGTERM");
    await Promise.all(run.children.map((c) => (c.exitCode === null ? exitCode(c) : Promise.resolve(0))));
    await postgres.stop();
  };
  process.on("SIGINT", () => void cleanup().then(() => process.exit(130)));

  try {
    await prepareTemplate(postgres.adminUrl);
    if (withApp || wantE2e) await ensureBuild(run.baseEnv);
    if (wantUnit) tallies.push({ name: "vitest", tally: await runVitest(run) });
    if (wantE2e) tallies.push({ name: "playwright", tally: await runPlaywright(run) });
    await cleanup();
  } catch (err) {
    await cleanup();
    throw err;
  }
  // The multi-process test (its own Postgres, web replicas, workers, fleet): full runs only, after the rest has stopped.
  if (fullRun) {
    say("running the multi-process scale test (npm run test:scale)");
    tallies.push({ name: "scale", tally: await runScaleTest() });
    say("running docs/deploy.md's commands against a local sshd (npm run docs:check)");
    tallies.push({ name: "docs", tally: await runDocsCheck() });
  }

  const total = tallies.reduce((a, t) => ({ passed: a.passed + t.tally.passed, failed: a.failed + t.tally.failed, skipped: a.skipped + t.tally.skipped }), { passed: 0, failed: 0, skipped: 0 });
  for (const t of tallies) for (const f of t.tally.failures ?? []) say(`FAILED ${t.name}: ${f}`);
  for (const t of tallies) say(`${t.name}: ${t.tally.passed} passed, ${t.tally.failed} failed, ${t.tally.skipped} skipped`);
  say(`finished in ${Math.round((Date.now() - started) / 1000)}s`);
  const ranNothing = total.passed + total.failed === 0;
  process.stdout.write(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped\n`);
  return total.failed > 0 || ranNothing ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => die(err instanceof Error ? (err.stack ?? err.message) : String(err)),
);
