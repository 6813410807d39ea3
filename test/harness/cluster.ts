/**
 * A whole Deckhand installation on this machine, process by process, for the scale test and the scale bench:
 * its own embedded PostgreSQL (restartable on the same port and data dir), web replicas (scripts/web-server.ts)
 * and worker processes (test/harness/worker-process.ts), each a real OS process that can be SIGKILLed,
 * plus a local HTTP target that records every request it receives, per path, with its arrival time.
 * Everything it starts is tracked and stopped by `stop()`, also after a failure.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, createWriteStream, mkdirSync, mkdtempSync, rmSync, type WriteStream } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { ensureEmbeddedPostgres, type EmbeddedDatabase } from "../../lib/db/embedded";
import { migrateDatabase } from "../../lib/db/migrate";

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const CLUSTER_SECRET = "deckhand-scale-secret-not-for-production-0123456789";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  /** Resolves with the exit code (or 1 for a signal) once the process has gone. */
  exited: Promise<number>;
}

export interface WebReplica extends ManagedProcess {
  url: string;
}

export interface RestartFigures {
  /** From the stop request to Postgres accepting connections again. */
  downtimeMs: number;
  stoppedAt: number;
  startedAt: number;
}

export interface Cluster {
  url: string;
  pgPort: number;
  workDir: string;
  logDir: string;
  /** A pool for the test's own queries; it survives a Postgres restart (broken clients are dropped). */
  pool: pg.Pool;
  webs: WebReplica[];
  workers: ManagedProcess[];
  startWeb(): Promise<WebReplica>;
  startWorker(extraEnv?: Record<string, string>): Promise<ManagedProcess>;
  /** Fast shutdown (SIGINT) of Postgres, `downMs` with nothing listening, then the same cluster started again on the same port. */
  restartPostgres(downMs?: number, onStopped?: () => void): Promise<RestartFigures>;
  stopProcess(p: ManagedProcess, signal?: NodeJS.Signals): Promise<void>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /** Where process logs go (kept after the run, for CI). */
  logDir: string;
  /** Added to every web and worker process's environment. */
  env?: Record<string, string>;
  /** Built Next.js folder the web replicas serve. */
  distDir?: string;
}

function waitForLine(child: ChildProcess, marker: string, timeoutMs: number, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`${name} did not print "${marker}" within ${timeoutMs / 1000} s`)), timeoutMs);
    const onData = (d: Buffer) => {
      seen = (seen + d.toString()).slice(-4096);
      if (seen.includes(marker)) {
        clearTimeout(timer);
        child.stdout?.off("data", onData);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited during start-up (code ${code})`));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`web replica at ${url} exited during start-up`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`web replica at ${url} did not become healthy within ${timeoutMs / 1000} s`);
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), "deckhand-cluster-"));
  // As root, initdb runs as the postgres user, who must be able to walk into the data dir.
  chmodSync(workDir, 0o755);
  mkdirSync(options.logDir, { recursive: true });
  const dataDir = path.join(workDir, "data");
  const pgPort = await freePort();
  let embedded: EmbeddedDatabase | null = null;
  const processes: ManagedProcess[] = [];
  const logs: WriteStream[] = [];
  const webs: WebReplica[] = [];
  const workers: ManagedProcess[] = [];
  let pool: pg.Pool | null = null;
  let webCount = 0;
  let workerCount = 0;

  const stopProcess = async (p: ManagedProcess, signal: NodeJS.Signals = "SIGTERM") => {
    if (p.child.exitCode !== null || p.child.signalCode !== null) return;
    p.child.kill(signal);
    const killer = setTimeout(() => p.child.kill("SIGKILL"), 8_000);
    await p.exited;
    clearTimeout(killer);
  };

  const stop = async () => {
    await Promise.all(processes.map((p) => stopProcess(p).catch(() => undefined)));
    await pool?.end().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    for (const l of logs) l.end();
    rmSync(workDir, { recursive: true, force: true, maxRetries: 5 });
  };

  try {
    embedded = await ensureEmbeddedPostgres({ dataDir, port: pgPort });
    const url = embedded.url;
    await migrateDatabase(url);
    pool = new pg.Pool({ connectionString: url, max: 6, connectionTimeoutMillis: 5_000 });
    pool.on("error", () => undefined);

    const baseEnv = (): NodeJS.ProcessEnv => ({
      ...process.env,
      DATABASE_URL: url,
      DECKHAND_SECRET: CLUSTER_SECRET,
      NEXT_TELEMETRY_DISABLED: "1",
      LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
      ...options.env,
    });

    const spawnManaged = (name: string, args: string[], env: NodeJS.ProcessEnv): ManagedProcess => {
      // `node --import tsx` (not the tsx CLI, which runs the script in a child): a signal must hit the process itself.
      const child = spawn(process.execPath, ["--import", "tsx", ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
      const log = createWriteStream(path.join(options.logDir, `${name}.log`));
      logs.push(log);
      child.stdout!.on("data", (d: Buffer) => log.write(d));
      child.stderr!.on("data", (d: Buffer) => log.write(d));
      const exited = new Promise<number>((resolve) => child.once("exit", (code, sig) => resolve(code ?? (sig ? 1 : 0))));
      const managed: ManagedProcess = { name, child, pid: child.pid!, exited };
      processes.push(managed);
      return managed;
    };

    const startWeb = async (): Promise<WebReplica> => {
      const port = await freePort();
      const name = `web-${++webCount}`;
      const p = spawnManaged(name, [path.join(ROOT, "scripts/web-server.ts")], {
        ...baseEnv(),
        NODE_ENV: "production",
        PORT: String(port),
        DECKHAND_HOST: "127.0.0.1",
        NEXTAUTH_URL: `http://127.0.0.1:${port}`,
        DECKHAND_DIST_DIR: options.distDir ?? ".next-test",
      });
      const web: WebReplica = { ...p, url: `http://127.0.0.1:${port}` };
      await waitForHealth(web.url, p.child, 90_000);
      webs.push(web);
      return web;
    };

    const startWorker = async (extraEnv: Record<string, string> = {}): Promise<ManagedProcess> => {
      const name = `worker-${++workerCount}`;
      const p = spawnManaged(name, [path.join(ROOT, "test/harness/worker-process.ts")], { ...baseEnv(), NODE_ENV: "production", ...extraEnv });
      workers.push(p);
      await waitForLine(p.child, "worker ready", 60_000, name);
      return p;
    };

    const restartPostgres = async (downMs = 0, onStopped?: () => void): Promise<RestartFigures> => {
      const stoppedAt = Date.now();
      await embedded!.stop();
      onStopped?.();
      await sleep(downMs);
      embedded = await ensureEmbeddedPostgres({ dataDir, port: pgPort });
      const startedAt = Date.now();
      return { downtimeMs: startedAt - stoppedAt, stoppedAt, startedAt };
    };

    return { url, pgPort, workDir, logDir: options.logDir, pool, webs, workers, startWeb, startWorker, restartPostgres, stopProcess, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

// ---------- the HTTP target of the monitors ----------

export interface CheckTarget {
  port: number;
  /** Arrival times (ms since epoch) of every request, per path. */
  arrivals: Map<string, number[]>;
  total(): number;
  stop(): Promise<void>;
}

/** One in-process HTTP server answering 200 "ok" (after `delayMs`), recording each request's path and arrival. */
export function startCheckTarget(delayMs = 0): Promise<CheckTarget> {
  const arrivals = new Map<string, number[]>();
  let total = 0;
  const server = http.createServer((req, res) => {
    const at = Date.now();
    const p = req.url ?? "/";
    let list = arrivals.get(p);
    if (!list) arrivals.set(p, (list = []));
    list.push(at);
    total++;
    const answer = () => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("ok");
    };
    if (delayMs > 0) setTimeout(answer, delayMs);
    else answer();
  });
  server.keepAliveTimeout = 1_000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      resolve({
        port: (server.address() as net.AddressInfo).port,
        arrivals,
        total: () => total,
        stop: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

/**
 * HTTP monitors inserted in one statement, their first slots spread evenly over one interval from `firstAt`
 * (as monitors created over time would be). Each checks its own path, `/<prefix>/<i>`, so the target can
 * count checks per monitor. Returns the ids in order.
 */
export async function insertMonitors(pool: pg.Pool, opts: { count: number; prefix: string; port: number; intervalSeconds: number; firstAt: Date; spreadSeconds?: number }): Promise<string[]> {
  const spread = opts.spreadSeconds ?? opts.intervalSeconds;
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO "Monitor" (id, name, type, url, "intervalSeconds", "timeoutSeconds", retries, "nextRunAt", "updatedAt")
     SELECT $1 || '-' || i, $1 || ' ' || i, 'http', 'http://127.0.0.1:' || $2::int || '/' || $1 || '/' || i,
            $3::int, 5, 0, $4::timestamp + make_interval(secs => (i * $6::float8) / $5::int), now()
     FROM generate_series(0, $5::int - 1) AS i
     RETURNING id`,
    [opts.prefix, opts.port, opts.intervalSeconds, opts.firstAt.toISOString(), opts.count, spread],
  );
  return rows.map((r) => r.id);
}
