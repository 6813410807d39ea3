import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { connectionFields } from "../db/url";
import type { CheckResult } from "./types";

export const MIN_POSTGRES_VERSION_NUM = 140000;
const DEFAULT_TIMEOUT_MS = 5_000;

/** host:port/database, never the password: this goes to a terminal and maybe a ticket. */
export function describeDatabase(url: string): string {
  const f = connectionFields(url);
  return `${f.host}:${f.port}/${f.database}`;
}

type PgError = Error & { code?: string };

function reason(err: unknown, timeoutMs: number): string {
  const e = err as PgError;
  switch (e.code) {
    case "ECONNREFUSED":
      return "connection refused (is PostgreSQL running, on that port?)";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "host name not found";
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return "host unreachable";
    case "28P01":
    case "28000":
      return `authentication failed: ${e.message}`;
    case "3D000":
      return `${e.message} (create it, or fix the name in DATABASE_URL)`;
  }
  if (/timeout/i.test(e.message ?? "")) return `no answer within ${timeoutMs} ms`;
  return e.message ?? String(err);
}

async function withClient<T>(url: string, timeoutMs: number, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, statement_timeout: timeoutMs, query_timeout: timeoutMs });
  // A server that drops the connection later would otherwise raise an unhandled 'error' event.
  client.on("error", () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Connects and runs a query; a database that is down is a FAIL with the reason, never a crash. */
export async function checkDatabase(url: string, opts: { timeoutMs?: number; note?: string } = {}): Promise<CheckResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const where = describeDatabase(url);
  const started = performance.now();
  try {
    const row = await withClient(url, timeoutMs, async (c) => {
      const r = await c.query<{ server_version: string; server_version_num: string }>("SELECT current_setting('server_version') AS server_version, current_setting('server_version_num') AS server_version_num");
      return r.rows[0]!;
    });
    const ms = Math.round(performance.now() - started);
    const note = opts.note ? `; ${opts.note}` : "";
    if (Number(row.server_version_num) < MIN_POSTGRES_VERSION_NUM) {
      return { name: "database", status: "fail", detail: `PostgreSQL ${row.server_version} at ${where} is too old: Deckhand needs 14 or newer${note}` };
    }
    return { name: "database", status: "ok", detail: `PostgreSQL ${row.server_version.split(" ")[0]} at ${where} answered in ${ms} ms${note}` };
  } catch (err) {
    return { name: "database", status: "fail", detail: `cannot reach ${where}: ${reason(err, timeoutMs)}` };
  }
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  logs: string | null;
}

/** The migration folders this checkout ships (each holds a migration.sql), oldest first. */
export function listMigrationFolders(dir: string): { name: string; checksum: string }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => ({
      name: d.name,
      checksum: createHash("sha256")
        .update(readFileSync(path.join(dir, d.name, "migration.sql")))
        .digest("hex"),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function list(names: string[]): string {
  return names.length <= 3 ? names.join(", ") : `${names.slice(0, 3).join(", ")} and ${names.length - 3} more`;
}

/**
 * Compares prisma/migrations with Prisma's `_prisma_migrations` table: a failed migration is a FAIL
 * (Prisma refuses to apply more until it is resolved); pending ones, ones this checkout does not know
 * (a newer Deckhand migrated this database) and edited ones are WARNs.
 */
export async function checkMigrations(url: string, migrationsDir: string, opts: { timeoutMs?: number } = {}): Promise<CheckResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const folders = listMigrationFolders(migrationsDir);
  if (folders.length === 0) return { name: "migrations", status: "fail", detail: `no migrations found in ${migrationsDir}: is this a complete Deckhand checkout?` };
  let rows: MigrationRow[];
  try {
    rows = await withClient(url, timeoutMs, async (c) => {
      try {
        const r = await c.query<MigrationRow>("SELECT migration_name, checksum, finished_at, rolled_back_at, logs FROM _prisma_migrations ORDER BY started_at");
        return r.rows;
      } catch (err) {
        if ((err as PgError).code === "42P01") return [];
        throw err;
      }
    });
  } catch (err) {
    return { name: "migrations", status: "fail", detail: `cannot read the migrations table: ${reason(err, timeoutMs)}` };
  }

  const failed = rows.filter((r) => r.finished_at === null && r.rolled_back_at === null);
  const applied = new Map(rows.filter((r) => r.finished_at !== null && r.rolled_back_at === null).map((r) => [r.migration_name, r]));
  const known = new Set(folders.map((f) => f.name));
  const pending = folders.filter((f) => !applied.has(f.name)).map((f) => f.name);
  const unknown = [...applied.keys()].filter((n) => !known.has(n));
  const edited = folders.filter((f) => applied.get(f.name) && applied.get(f.name)!.checksum !== f.checksum).map((f) => f.name);

  if (failed.length > 0) {
    const first = failed[0]!;
    const log =
      first.logs
        ?.trim()
        .split("\n")
        .find((l) => l.trim()) ?? "no log";
    return {
      name: "migrations",
      status: "fail",
      detail: `migration ${first.migration_name} did not finish (it failed, or is being applied right now): ${log}; once fixed, mark it with: npx prisma migrate resolve --rolled-back ${first.migration_name}`,
    };
  }
  const problems: string[] = [];
  if (pending.length > 0) {
    problems.push(
      applied.size === 0
        ? `none of the ${folders.length} migrations is applied (a new database?): run npx deckhand db migrate, or start Deckhand, which applies them`
        : `${pending.length} pending: ${list(pending)}; run npx deckhand db migrate (starting Deckhand also applies them)`,
    );
  }
  if (unknown.length > 0) problems.push(`the database has ${unknown.length} migration(s) this checkout does not ship (${list(unknown)}): a newer Deckhand migrated it`);
  if (edited.length > 0) problems.push(`${list(edited)} changed after it was applied`);
  if (problems.length > 0) return { name: "migrations", status: "warn", detail: problems.join("; ") };
  return { name: "migrations", status: "ok", detail: `all ${folders.length} migrations applied (latest ${folders.at(-1)!.name})` };
}
