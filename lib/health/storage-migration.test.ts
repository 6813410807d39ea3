import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withDatabase } from "../db/url";
import { testAdminUrl } from "../../test/harness/postgres";

/** Migration 20261209100000_narrow_results moves check results into the narrow, partitioned table: nothing may be lost. */
const MIGRATION = "20261209100000_narrow_results";
const dir = path.resolve(import.meta.dirname, "../../prisma/migrations");
const all = readdirSync(dir)
  .filter((d) => /^\d{14}_/.test(d))
  .sort();
const before = all.filter((d) => d < MIGRATION);

let admin: pg.Client;
let client: pg.Client;
let name: string;

async function apply(migrations: string[]): Promise<void> {
  for (const m of migrations) await client.query(readFileSync(path.join(dir, m, "migration.sql"), "utf8"));
}

/** Per monitor: checks and failures as uptime counts them, latency sum of the successes, flags, release stamps. */
const FIGURES = `
  SELECT "monitorId", count(*)::int AS n,
    (count(*) FILTER (WHERE NOT "inMaintenance"))::int AS checks, (count(*) FILTER (WHERE NOT ok AND NOT "inMaintenance"))::int AS failures,
    round(sum(round("latencyMs")) FILTER (WHERE ok))::bigint::text AS latency, (count(*) FILTER (WHERE "inDeployWindow"))::int AS win,
    (count(*) FILTER (WHERE degraded))::int AS degraded, count("releaseId")::int AS released, (count(*) FILTER (WHERE NOT ok AND detail IS NOT NULL))::int AS failed_detail,
    count(facts)::int AS facts, min(at) AS first, max(at) AS last
  FROM "CheckResult" GROUP BY 1 ORDER BY 1`;

beforeAll(async () => {
  name = `deckhand_mig_${randomBytes(5).toString("hex")}`;
  admin = new pg.Client({ connectionString: testAdminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}" TEMPLATE template0`);
  client = new pg.Client({ connectionString: withDatabase(testAdminUrl(), name) });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await admin?.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin?.end();
});

describe(`migration ${MIGRATION}`, () => {
  it("moves every result of the old layout into the partitioned table with the same counts, uptime and latency figures", async () => {
    expect(before.at(-1)).toBeDefined();
    await apply(before);
    // The old layout: 3 monitors (one an app's, with releases), 10 days of results every 5 minutes, fractional
    // latencies, failures, deploy windows, maintenance, degraded, facts; and rollups, which the migration leaves alone.
    await client.query(`INSERT INTO "App" (id, name, "repoUrl", "deployPath", "updatedAt") VALUES ('app1', 'app', 'https://example.invalid/a.git', '/srv/a', now())`);
    await client.query(`INSERT INTO "Release" (id, "appId", commit, dir, status) VALUES ('rel1', 'app1', 'aaa', 'r1', 'succeeded'), ('rel2', 'app1', 'bbb', 'r2', 'succeeded')`);
    await client.query(`INSERT INTO "Monitor" (id, name, type, url, "appId", "updatedAt") VALUES
      ('cmonitor0000000000000000a', 'a', 'http', 'https://a.invalid', 'app1', now()), ('cmonitor0000000000000000b', 'b', 'http', 'https://b.invalid', NULL, now()),
      ('cmonitor0000000000000000c', 'c', 'tcp', NULL, NULL, now())`);
    await client.query(`
      INSERT INTO "CheckResult" ("monitorId", at, ok, "latencyMs", detail, "releaseId", "inDeployWindow", "inMaintenance", degraded, facts)
      SELECT m.id, g.at, (i % 13) <> 0, CASE WHEN i % 29 = 0 THEN NULL ELSE 10 + (i % 997) / 7.0 END,
        CASE WHEN (i % 13) = 0 THEN 'HTTP 503 (expected 200-399)' WHEN i % 5 = 0 THEN 'connected' ELSE 'HTTP 200' END,
        CASE WHEN m."appId" IS NULL THEN NULL WHEN i % 2 = 0 THEN 'rel1' ELSE 'rel2' END,
        i % 31 = 0, i % 37 = 0, (i % 13) <> 0 AND i % 41 = 0, CASE WHEN i % 43 = 0 THEN '{"certDaysLeft": 12}'::jsonb END
      FROM (SELECT id, "appId", row_number() OVER (ORDER BY id) AS k FROM "Monitor") m
      CROSS JOIN LATERAL (SELECT g.at, (extract(epoch FROM g.at)::bigint / 300 + m.k * 7)::int AS i
        FROM generate_series(date_trunc('day', now()) - interval '9 days', now(), interval '5 minutes') AS g(at)) g`);
    await client.query(`INSERT INTO "CheckRollup" ("monitorId", bucket, "bucketStart", checks, failures, p50, p95, p99)
      SELECT "monitorId", 'hour', date_trunc('hour', at), count(*), count(*) FILTER (WHERE NOT ok), 1, 2, 3 FROM "CheckResult" GROUP BY 1, 3`);
    const oldFigures = (await client.query(FIGURES)).rows;
    const plainUp = `SELECT count(*)::int AS n FROM "CheckResult" WHERE ok AND NOT degraded AND detail = 'HTTP 200'`;
    const oldPlain = (await client.query(plainUp)).rows[0].n;
    expect(oldPlain).toBeGreaterThan(0);
    const oldRollups = (await client.query(`SELECT "monitorId", bucket, "bucketStart", checks, failures FROM "CheckRollup" ORDER BY 1, 2, 3`)).rows;
    expect(oldFigures.reduce((s, r) => s + r.n, 0)).toBeGreaterThan(3 * 9 * 288);

    await apply([MIGRATION]);

    expect((await client.query(FIGURES)).rows).toEqual(oldFigures);
    expect((await client.query(`SELECT "monitorId", bucket, "bucketStart", checks, failures FROM "CheckRollup" ORDER BY 1, 2, 3`)).rows).toEqual(oldRollups);
    // Everything sits in day partitions (none in the default one), and the plain "HTTP 200" detail of up checks is gone, the rest kept.
    const { rows: parts } = await client.query(`SELECT count(*)::int AS n FROM "CheckResultData_default"`);
    expect(parts[0].n).toBe(0);
    expect((await client.query(plainUp)).rows[0].n).toBe(0);
    expect((await client.query(`SELECT count(*)::int AS n FROM "CheckResult" WHERE detail IS NULL`)).rows[0].n).toBe(oldPlain);
    // Inserting through the view still works, and refuses an unknown monitor.
    await client.query(`INSERT INTO "CheckResult" ("monitorId", at, ok, "latencyMs") VALUES ('cmonitor0000000000000000b', now(), true, 12.4)`);
    await expect(client.query(`INSERT INTO "CheckResult" ("monitorId", ok) VALUES ('nope', true)`)).rejects.toThrow(/does not exist/);
    // Deleting a monitor still deletes its results.
    await client.query(`DELETE FROM "Monitor" WHERE id = 'cmonitor0000000000000000c'`);
    expect((await client.query(`SELECT count(*)::int AS n FROM "CheckResult" WHERE "monitorId" = 'cmonitor0000000000000000c'`)).rows[0].n).toBe(0);
  }, 120_000);
});
