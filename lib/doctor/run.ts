import { existsSync } from "node:fs";
import path from "node:path";
import { createDbClient, type Db } from "../db/client";
import { embeddedClusterDir, ensureEmbeddedPostgres } from "../db/embedded";
import { inspectEnv } from "../env";
import { checkConfig } from "./config";
import { checkDatabase, checkMigrations } from "./database";
import { checkDisk, DEFAULT_DISK_THRESHOLDS, type DiskThresholds } from "./disk";
import { checkSecret } from "./secret";
import { checkServers, listPinnedServers } from "./servers";
import { checkStorage } from "./storage";
import { checkWorkers } from "./workers";
import type { CheckResult, CheckStatus } from "./types";

export type { CheckResult, CheckStatus } from "./types";

export const DEFAULT_MIGRATIONS_DIR = path.resolve(import.meta.dirname, "../../prisma/migrations");

export interface DoctorOptions {
  /** The environment to diagnose (process.env for the CLI). */
  source: Record<string, string | undefined>;
  migrationsDir?: string;
  disk?: DiskThresholds;
  databaseTimeoutMs?: number;
  serverTimeoutMs?: number;
}

interface ResolvedDatabase {
  url: string | null;
  /** The database line when there is nothing to connect to (invalid URL, embedded cluster not created yet). */
  result: CheckResult | null;
  note?: string;
  stop(): Promise<void>;
}

const nothingToStop = async () => undefined;

/**
 * DATABASE_URL as given; else the embedded cluster, reused when running and started for the check when
 * not, as every CLI command does. A cluster that does not exist yet is not created: a diagnosis must not
 * initialise a database.
 */
async function resolveDatabase(settings: ReturnType<typeof inspectEnv>["settings"], invalid: string[]): Promise<ResolvedDatabase> {
  if (invalid.includes("DATABASE_URL")) {
    return { url: null, result: { name: "database", status: "fail", detail: "not checked: DATABASE_URL is invalid (see config)" }, stop: nothingToStop };
  }
  if (settings.DATABASE_URL) return { url: settings.DATABASE_URL, result: null, stop: nothingToStop };
  const dataDir = path.resolve(settings.DECKHAND_DATA_DIR);
  const cluster = embeddedClusterDir(dataDir);
  if (!existsSync(path.join(cluster, "PG_VERSION"))) {
    return {
      url: null,
      result: { name: "database", status: "warn", detail: `embedded PostgreSQL not created yet in ${cluster}: the first npm start creates it (or set DATABASE_URL)` },
      stop: nothingToStop,
    };
  }
  try {
    const embedded = await ensureEmbeddedPostgres({ dataDir, port: settings.DECKHAND_PG_PORT });
    return { url: embedded.url, result: null, note: embedded.startedHere ? "embedded, started for this check and stopped after" : "embedded, already running", stop: () => embedded.stop() };
  } catch (err) {
    return {
      url: null,
      result: { name: "database", status: "fail", detail: `the embedded PostgreSQL in ${cluster} does not start: ${err instanceof Error ? err.message : String(err)}` },
      stop: nothingToStop,
    };
  }
}

function lastLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).trim().split("\n").at(-1)!.trim();
}

/**
 * Runs every check and returns one result per line of the report. Never throws for a broken
 * installation: a database that is down is a FAIL line, and the checks that do not need it still run.
 */
export async function runDoctor(opts: DoctorOptions): Promise<CheckResult[]> {
  const inspection = inspectEnv(opts.source);
  const { settings, invalid } = inspection;
  const results = checkConfig(inspection);
  const dataDir = path.resolve(settings.DECKHAND_DATA_DIR);

  const database = await resolveDatabase(settings, invalid);
  let client: Db | null = null;
  try {
    const dbResult = database.result ?? (await checkDatabase(database.url!, { timeoutMs: opts.databaseTimeoutMs, note: database.note }));
    results.push(dbResult);
    const reachable = database.url !== null && dbResult.status === "ok";
    const skipped = (name: string): CheckResult => ({ name, status: "warn", detail: `not checked: ${database.url ? "the database is unreachable" : "no database to check"}` });
    if (reachable) client = createDbClient(database.url!, 2);

    const secretCheck: Promise<CheckResult> = invalid.includes("DECKHAND_SECRET")
      ? Promise.resolve({ name: "secret", status: "fail", detail: "DECKHAND_SECRET is invalid (see config)" })
      : checkSecret({ nodeEnv: settings.NODE_ENV, envSecret: settings.DECKHAND_SECRET, dataDir, db: client });
    const serverChecks: Promise<CheckResult[]> = client
      ? listPinnedServers(client).then(
          (servers) => checkServers(servers, { timeoutMs: opts.serverTimeoutMs }),
          (err: unknown) => [{ name: "servers", status: "warn", detail: `not checked: cannot list servers: ${lastLine(err)}` }],
        )
      : Promise.resolve([skipped("servers")]);
    const workerCheck: Promise<CheckResult> = client ? checkWorkers(client).catch((err: unknown) => ({ name: "workers", status: "warn" as const, detail: `not checked: ${lastLine(err)}` })) : Promise.resolve(skipped("workers"));
    const retention = {
      raw: settings.DECKHAND_MONITOR_RAW_RETENTION_DAYS,
      minute: settings.DECKHAND_MONITOR_MINUTE_ROLLUP_RETENTION_DAYS,
      hour: settings.DECKHAND_MONITOR_ROLLUP_RETENTION_DAYS,
      day: settings.DECKHAND_MONITOR_ROLLUP_RETENTION_DAYS,
    };
    const storageCheck: Promise<CheckResult> = client ? checkStorage(client, retention).catch((err: unknown) => ({ name: "storage", status: "warn" as const, detail: `not checked: ${lastLine(err)}` })) : Promise.resolve(skipped("storage"));
    const [migrations, secret, disk, workers, servers, storage] = await Promise.all([
      reachable ? checkMigrations(database.url!, opts.migrationsDir ?? DEFAULT_MIGRATIONS_DIR, { timeoutMs: opts.databaseTimeoutMs }) : Promise.resolve(skipped("migrations")),
      secretCheck,
      checkDisk(dataDir, opts.disk ?? DEFAULT_DISK_THRESHOLDS),
      workerCheck,
      serverChecks,
      storageCheck,
    ]);
    results.push(migrations, secret, disk, workers, ...servers, storage);
    return results;
  } finally {
    await client?.$disconnect().catch(() => undefined);
    await database.stop().catch(() => undefined);
  }
}

const LABELS: Record<CheckStatus, string> = { ok: "OK", warn: "WARN", fail: "FAIL" };

/** One line per check (status, name, detail), then a tally. */
export function formatReport(results: CheckResult[]): string {
  const width = Math.max(...results.map((r) => r.name.length));
  const lines = results.map((r) => `${LABELS[r.status].padEnd(5)} ${r.name.padEnd(width)}  ${r.detail}`);
  const count = (s: CheckStatus) => results.filter((r) => r.status === s).length;
  lines.push(`${count("fail")} FAIL, ${count("warn")} WARN, ${count("ok")} OK`);
  return lines.join("\n") + "\n";
}

/** 1 on any FAIL; warnings alone keep 0, so a deploy script can gate on it. */
export function doctorExitCode(results: CheckResult[]): number {
  return results.some((r) => r.status === "fail") ? 1 : 0;
}
