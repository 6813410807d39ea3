import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { ensureEmbeddedPostgres } from "../lib/db/embedded";
import { withDatabase } from "../lib/db/url";
import { freePort } from "../test/harness/ports";

export { freePort };

export interface BenchDatabase {
  url: string;
  /** The embedded server's data directory (for CPU accounting of its processes); null on DATABASE_URL. */
  clusterDir: string | null;
  dispose(): Promise<void>;
}

const root = path.resolve(import.meta.dirname, "..");

/**
 * A database of its own for one bench run: a fresh database on the server at DATABASE_URL (dropped
 * afterwards), or a throwaway embedded PostgreSQL under .data/bench (removed afterwards).
 */
export async function startBenchDatabase(label: string, opts: { onLog?: (m: string) => void; say?: (m: string) => void } = {}): Promise<BenchDatabase> {
  const say = opts.say ?? ((m: string) => process.stdout.write(`${m}\n`));
  const runId = `${label}-${randomBytes(4).toString("hex")}`;
  const adminUrl = process.env.DATABASE_URL;
  if (adminUrl) {
    const name = `deckhand_bench_${runId.replace(/-/g, "_")}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    say(`database: ${name} on the server at DATABASE_URL (dropped afterwards)`);
    return {
      url: withDatabase(adminUrl, name),
      clusterDir: null,
      async dispose() {
        const c = new pg.Client({ connectionString: adminUrl });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const dataDir = path.join(root, ".data", "bench", runId);
  const port = await freePort();
  say(`database: embedded PostgreSQL in .data/bench/${runId} on port ${port} (removed afterwards)`);
  const embedded = await ensureEmbeddedPostgres({ dataDir, port, database: "deckhand_bench", onLog: opts.onLog });
  return {
    url: embedded.url,
    clusterDir: path.join(dataDir, "pg"),
    async dispose() {
      await embedded.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Points this process's Deckhand code at the bench database (env is read lazily, on first use, so this
 * comes before anything from lib/ is loaded) and migrates it.
 */
export async function useBenchDatabase(database: BenchDatabase): Promise<void> {
  process.env.DATABASE_URL = database.url;
  process.env.DECKHAND_SECRET ??= randomBytes(36).toString("base64url");
  process.env.LOG_LEVEL ??= "warn";
  const { migrateDatabase } = await import("../lib/db/migrate");
  await migrateDatabase(database.url);
}

// ---------- CPU accounting from /proc ----------

const CLK_TCK = 100;

export function procSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / CLK_TCK;
  } catch {
    return 0;
  }
}

function parentOf(pid: number): number {
  try {
    const m = /PPid:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** The embedded postmaster and its backends (postmaster.pid names the postmaster). */
export function postgresPids(clusterDir: string | null): number[] {
  if (!clusterDir || !existsSync(path.join(clusterDir, "postmaster.pid"))) return [];
  const master = Number(readFileSync(path.join(clusterDir, "postmaster.pid"), "utf8").split("\n")[0]);
  const pids = [master];
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (Number.isInteger(pid) && pid !== master && parentOf(pid) === master) pids.push(pid);
  }
  return pids;
}

/** CPU seconds of a set of processes, counting processes that appear later from zero. */
export class GroupCpu {
  private readonly start = new Map<number, number>();
  constructor(private readonly pids: () => number[]) {
    for (const pid of pids()) this.start.set(pid, procSeconds(pid));
  }
  seconds(): number {
    let total = 0;
    for (const pid of this.pids()) total += procSeconds(pid) - (this.start.get(pid) ?? 0);
    return total;
  }
}

export function machineTicks(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = v[3]! + (v[4] ?? 0);
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

// ---------- figures ----------

/** The value at quantile q (0..1) of an ascending array: the element at floor(q·n), clamped; NaN when empty. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : NaN;
}

/** quantile() of an unsorted array (copied, not sorted in place). */
export function quantileOf(xs: number[], q: number): number {
  return quantile(
    [...xs].sort((a, b) => a - b),
    q,
  );
}

/** A bench's entry: exit with main's code, or print the failure and exit 1. */
export function runBench(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
