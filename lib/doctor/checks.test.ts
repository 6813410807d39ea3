import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { statfs } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { withDatabase } from "../db/url";
import { encryptSecret } from "../crypto/secretbox";
import { inspectEnv } from "../env";
import { checkConfig } from "./config";
import { checkDatabase, checkMigrations, listMigrationFolders } from "./database";
import { checkDisk } from "./disk";
import { DEFAULT_MIGRATIONS_DIR } from "./run";
import { checkSecret } from "./secret";
import { downDatabaseUrl } from "./testing";

const url = process.env.DATABASE_URL!;
const secret = process.env.DECKHAND_SECRET!;
const tmp = mkdtempSync(path.join(os.tmpdir(), "deckhand-doctor-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function sql(text: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await c.query(text, params);
  } finally {
    await c.end();
  }
}

describe("config", () => {
  it("is OK for a valid environment and names the mode and database", () => {
    const results = checkConfig(inspectEnv({ NODE_ENV: "test", DATABASE_URL: url, DECKHAND_SECRET: secret }));
    expect(results).toEqual([{ name: "config", status: "ok", detail: expect.stringMatching(/NODE_ENV=test, DATABASE_URL set, port 3000/) }]);
  });

  it("reports every invalid variable on its own line, naming it, and still yields usable defaults", () => {
    const inspection = inspectEnv({ DECKHAND_PG_PORT: "80", LOG_LEVEL: "loud", DATABASE_URL: "mysql://x", DECKHAND_SECRET: "short" });
    const results = checkConfig(inspection);
    expect(results.every((r) => r.status === "fail")).toBe(true);
    const details = results.map((r) => r.detail).join("\n");
    for (const variable of ["DECKHAND_PG_PORT", "LOG_LEVEL", "DATABASE_URL", "DECKHAND_SECRET"]) expect(details).toContain(variable);
    expect(results).toHaveLength(4);
    expect(inspection.invalid.sort()).toEqual(["DATABASE_URL", "DECKHAND_PG_PORT", "DECKHAND_SECRET", "LOG_LEVEL"]);
    expect(inspection.settings.DECKHAND_PG_PORT).toBe(54329);
  });

  it("warns in production when NEXTAUTH_URL is unset", () => {
    const results = checkConfig(inspectEnv({ NODE_ENV: "production", DECKHAND_SECRET: secret, DATABASE_URL: url }));
    expect(results.map((r) => r.status)).toEqual(["ok", "warn"]);
    expect(results[1]!.detail).toMatch(/NEXTAUTH_URL/);
  });
});

describe("database", () => {
  it("is OK against the real test database, with its version and no password", async () => {
    const r = await checkDatabase(url);
    expect(r.status).toBe("ok");
    expect(r.detail).toMatch(/^PostgreSQL \d+\.\d+ at 127\.0\.0\.1:\d+\/deckhand_/);
    const password = decodeURIComponent(new URL(url).password);
    if (password) expect(r.detail).not.toContain(password);
  });

  it("is a FAIL, not a crash, when nothing listens on the port", async () => {
    const r = await checkDatabase(await downDatabaseUrl(url), { timeoutMs: 2_000 });
    expect(r).toEqual({ name: "database", status: "fail", detail: expect.stringMatching(/^cannot reach 127\.0\.0\.1:\d+\/deckhand_\w+: connection refused/) });
  });

  it("names a database that does not exist", async () => {
    const r = await checkDatabase(withDatabase(url, "deckhand_no_such_db"));
    expect(r.status).toBe("fail");
    expect(r.detail).toMatch(/deckhand_no_such_db.*does not exist/);
  });
});

describe("migrations", () => {
  const shipped = listMigrationFolders(DEFAULT_MIGRATIONS_DIR);

  function migrationsCopy(name: string, opts: { extra?: string; drop?: string } = {}): string {
    const dir = path.join(tmp, name);
    cpSync(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
    if (opts.extra) {
      mkdirSync(path.join(dir, opts.extra));
      writeFileSync(path.join(dir, opts.extra, "migration.sql"), "SELECT 1;\n");
    }
    if (opts.drop) rmSync(path.join(dir, opts.drop), { recursive: true });
    return dir;
  }

  it("is OK when every shipped migration is applied (the file's database is fully migrated)", async () => {
    expect(shipped.length).toBeGreaterThanOrEqual(2);
    const r = await checkMigrations(url, DEFAULT_MIGRATIONS_DIR);
    expect(r).toEqual({ name: "migrations", status: "ok", detail: `all ${shipped.length} migrations applied (latest ${shipped.at(-1)!.name})` });
  });

  it("warns about a pending migration, by name", async () => {
    const r = await checkMigrations(url, migrationsCopy("pending", { extra: "29991231000000_next_feature" }));
    expect(r.status).toBe("warn");
    expect(r.detail).toMatch(/^1 pending: 29991231000000_next_feature; run npx deckhand db migrate/);
  });

  it("warns when the database has a migration the checkout does not ship (rolled back to an older Deckhand)", async () => {
    const newest = shipped.at(-1)!.name;
    const r = await checkMigrations(url, migrationsCopy("older", { drop: newest }));
    expect(r.status).toBe("warn");
    expect(r.detail).toContain(`does not ship (${newest})`);
  });

  it("warns when an applied migration's file was edited afterwards", async () => {
    const dir = migrationsCopy("edited");
    writeFileSync(path.join(dir, shipped[0]!.name, "migration.sql"), "-- edited\n", { flag: "a" });
    const r = await checkMigrations(url, dir);
    expect(r.status).toBe("warn");
    expect(r.detail).toBe(`${shipped[0]!.name} changed after it was applied`);
  });

  it("fails on a migration that started and never finished", async () => {
    const name = "29991231000000_half_done";
    await sql(`INSERT INTO _prisma_migrations (id, checksum, migration_name, logs, started_at, applied_steps_count) VALUES ($1, $2, $3, $4, now(), 0)`, ["doctor-test-failed", "0".repeat(64), name, 'ERROR: column "x" already exists']);
    try {
      const r = await checkMigrations(url, migrationsCopy("failed", { extra: name }));
      expect(r.status).toBe("fail");
      expect(r.detail).toContain(`migration ${name} did not finish`);
      expect(r.detail).toContain('column "x" already exists');
    } finally {
      await sql(`DELETE FROM _prisma_migrations WHERE id = $1`, ["doctor-test-failed"]);
    }
  });

  it("warns (every migration pending) on an empty database", async () => {
    const empty = withDatabase(url, `${new URL(url).pathname.slice(1)}_empty`);
    const name = new URL(empty).pathname.slice(1);
    await sql(`CREATE DATABASE "${name}"`);
    try {
      const r = await checkMigrations(empty, DEFAULT_MIGRATIONS_DIR);
      expect(r.status).toBe("warn");
      expect(r.detail).toMatch(/^none of the \d+ migrations is applied/);
    } finally {
      await sql(`DROP DATABASE "${name}" WITH (FORCE)`);
    }
  });
});

describe("secret", () => {
  const dataDir = path.join(tmp, "data");
  afterEach(async () => {
    await db().server.deleteMany();
    await db().sshKey.deleteMany();
  });

  async function storeKey(name: string, withSecret: string) {
    await db().sshKey.create({ data: { name, publicKey: "ssh-ed25519 AAAA", fingerprint: "SHA256:x", encryptedPrivateKey: encryptSecret("-----BEGIN KEY-----", withSecret) } });
  }

  it("is OK when set and nothing is stored yet", async () => {
    const r = await checkSecret({ nodeEnv: "production", envSecret: secret, dataDir, db: db() });
    expect(r).toEqual({ name: "secret", status: "ok", detail: "DECKHAND_SECRET is set (no encrypted values stored yet to test it against)" });
  });

  it("is OK when it decrypts the stored SSH key", async () => {
    await storeKey("good", secret);
    const r = await checkSecret({ nodeEnv: "production", envSecret: secret, dataDir, db: db() });
    expect(r).toEqual({ name: "secret", status: "ok", detail: 'DECKHAND_SECRET decrypts the stored SSH key "good"' });
  });

  it("fails clearly when the stored values were encrypted with another secret", async () => {
    await storeKey("sealed-elsewhere", "another-secret-another-secret-another-secret-42");
    const r = await checkSecret({ nodeEnv: "production", envSecret: secret, dataDir, db: db() });
    expect(r.status).toBe("fail");
    expect(r.detail).toBe('DECKHAND_SECRET cannot decrypt the stored SSH key "sealed-elsewhere": it is not the secret they were encrypted with (was DECKHAND_SECRET changed?)');
  });

  it("fails in production when unset", async () => {
    const r = await checkSecret({ nodeEnv: "production", envSecret: undefined, dataDir, db: db() });
    expect(r.status).toBe("fail");
    expect(r.detail).toMatch(/required when NODE_ENV=production/);
  });

  it("fails when unset while encrypted values exist, even in development", async () => {
    await storeKey("orphan", secret);
    const r = await checkSecret({ nodeEnv: "development", envSecret: undefined, dataDir: path.join(tmp, "no-secret-here"), db: db() });
    expect(r.status).toBe("fail");
    expect(r.detail).toMatch(/not set, and 1 stored value\(s\) are encrypted/);
  });

  it("in development, warns when unset and uses the generated file when there is one, without creating it", async () => {
    const fresh = path.join(tmp, "fresh-data");
    const warn = await checkSecret({ nodeEnv: "development", envSecret: undefined, dataDir: fresh, db: db() });
    expect(warn.status).toBe("warn");
    expect(warn.detail).toContain(path.join(fresh, "secret"));
    expect((await import("node:fs")).existsSync(fresh)).toBe(false);

    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path.join(dataDir, "secret"), `${secret}\n`);
    await storeKey("dev", secret);
    const ok = await checkSecret({ nodeEnv: "development", envSecret: undefined, dataDir, db: db() });
    expect(ok).toEqual({ name: "secret", status: "ok", detail: `the development secret in ${path.join(dataDir, "secret")} decrypts the stored SSH key "dev"` });
  });

  it("says it could not test against stored values when the database is unreachable", async () => {
    const r = await checkSecret({ nodeEnv: "production", envSecret: secret, dataDir, db: null });
    expect(r.status).toBe("warn");
    expect(r.detail).toMatch(/not tested against stored values: the database is unreachable/);
  });
});

describe("disk", () => {
  it("is OK with the default thresholds on this machine's data dir filesystem", async () => {
    const s = await statfs(tmp);
    const free = s.bavail * s.bsize;
    const r = await checkDisk(tmp);
    // The default thresholds are 1 GiB / 100 MiB: on a machine with less free, this is the right answer too.
    expect(r.status).toBe(free >= 1024 ** 3 ? "ok" : free >= 100 * 1024 ** 2 ? "warn" : "fail");
    expect(r.detail).toMatch(new RegExp(`free of .* at ${tmp}$`));
  });

  it("warns under the warning threshold and fails under the failure threshold", async () => {
    const s = await statfs(tmp);
    const free = s.bavail * s.bsize;
    const warn = await checkDisk(tmp, { warnBytes: free * 2, failBytes: 1 });
    expect(warn.status).toBe("warn");
    expect(warn.detail).toMatch(/: under /);
    const fail = await checkDisk(tmp, { warnBytes: free * 4, failBytes: free * 2 });
    expect(fail.status).toBe("fail");
    expect(fail.detail).toMatch(/free space now$/);
  });

  it("measures the filesystem a data dir that does not exist yet will be created on", async () => {
    const r = await checkDisk(path.join(tmp, "not", "yet"));
    expect(r.detail).toMatch(new RegExp(`at ${tmp}$`));
  });
});
