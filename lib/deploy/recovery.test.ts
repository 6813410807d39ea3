import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../test/harness/ports";
import { createDbClient, type Db } from "../db/client";
import { ensureEmbeddedPostgres, type EmbeddedDatabase } from "../db/embedded";
import { migrateDatabase } from "../db/migrate";
import { OutageGrace, sweepInterruptedDeploys } from "./recovery";

/**
 * The sweeper against a Postgres of its own that the test restarts (the shared test database must stay up
 * for the other files): silence is measured on the database's clock and never from before the database
 * started, so a deploy whose worker could not report while Postgres was down is not given up on at once.
 */
const STALE = 4;
const workDir = mkdtempSync(path.join(os.tmpdir(), "deckhand-sweeper-"));
// As root, initdb runs as the postgres user, who must be able to walk into the data dir.
chmodSync(workDir, 0o755);
let pg: EmbeddedDatabase | null = null;
let client: Db | null = null;

afterAll(async () => {
  // Bounded: a Prisma 6.19 pool that lost connections may never finish disconnecting (see lib/db/retry.test.ts).
  await Promise.race([client?.$disconnect().catch(() => undefined), new Promise((r) => setTimeout(r, 5_000))]);
  await pg?.stop().catch(() => undefined);
  rmSync(workDir, { recursive: true, force: true, maxRetries: 5 });
});

/** A running deploy whose heartbeat is `ageSeconds` old on the database's clock. */
async function runningDeploy(c: Db, name: string, ageSeconds: number): Promise<string> {
  const app = await c.app.create({ data: { name, repoUrl: "/nowhere.git", deployPath: "/srv/nowhere" }, select: { id: true } });
  const d = await c.deploy.create({ data: { appId: app.id, kind: "deploy", actorLabel: "test", status: "running", startedAt: new Date() }, select: { id: true } });
  await c.$executeRaw`UPDATE "Deploy" SET "heartbeatAt" = (now() AT TIME ZONE 'UTC') - make_interval(secs => ${ageSeconds}::float8) WHERE id = ${d.id}`;
  return d.id;
}

async function secondsSincePostgresStarted(c: Db): Promise<number> {
  const [row] = await c.$queryRaw<{ s: number }[]>`SELECT extract(epoch FROM now() - pg_postmaster_start_time())::float8 AS s`;
  return row!.s;
}

describe("sweeping deploys whose worker went silent", () => {
  it("gives a deploy silent across a Postgres restart a full stale window from the restart, then interrupts it", async () => {
    const port = await freePort();
    const dataDir = path.join(workDir, "data");
    pg = await ensureEmbeddedPostgres({ dataDir, port });
    await migrateDatabase(pg.url);
    client = createDbClient(pg.url, 2);

    // With Postgres up for longer than the limit, only the deploy silent past it is interrupted.
    await expect.poll(() => secondsSincePostgresStarted(client!), { timeout: 10_000, interval: 200 }).toBeGreaterThan(STALE);
    const fresh = await runningDeploy(client, "fresh", 1);
    const silent = await runningDeploy(client, "silent", 600);
    expect(await sweepInterruptedDeploys(STALE, client)).toEqual([silent]);
    expect(await client.deploy.findUniqueOrThrow({ where: { id: fresh }, select: { status: true } })).toEqual({ status: "running" });

    // Postgres goes away for longer than the limit; no worker can report meanwhile.
    await client.$executeRaw`UPDATE "Deploy" SET "heartbeatAt" = now() AT TIME ZONE 'UTC' WHERE id = ${fresh}`;
    await pg.stop();
    await new Promise((r) => setTimeout(r, (STALE + 1) * 1000));
    pg = await ensureEmbeddedPostgres({ dataDir, port });

    // Straight after the restart the heartbeat is older than the limit, yet the deploy keeps running...
    const firstSweep = async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return { swept: await sweepInterruptedDeploys(STALE, client!), upFor: await secondsSincePostgresStarted(client!) };
        } catch (err) {
          if (attempt >= 20) throw err;
          await new Promise((r) => setTimeout(r, 100)); // the pool's connections died with the old server
        }
      }
    };
    const first = await firstSweep();
    expect(first.upFor).toBeLessThan(STALE);
    const [age] = await client.$queryRaw<{ s: number }[]>`SELECT extract(epoch FROM (now() AT TIME ZONE 'UTC') - "heartbeatAt")::float8 AS s FROM "Deploy" WHERE id = ${fresh}`;
    expect(age!.s).toBeGreaterThan(STALE);
    expect(first.swept).toEqual([]);
    // ...until it has been silent for the limit since Postgres came back.
    await expect.poll(() => sweepInterruptedDeploys(STALE, client!), { timeout: 15_000, interval: 250 }).toEqual([fresh]);
    expect(await secondsSincePostgresStarted(client)).toBeGreaterThanOrEqual(STALE);
    const row = await client.deploy.findUniqueOrThrow({ where: { id: fresh }, select: { status: true, error: true } });
    expect(row.status).toBe("interrupted");
    expect(row.error).toMatch(/the worker stopped responding/);
  });
});

describe("a sweeper's grace after losing the database itself", () => {
  it("holds off for the stale limit after its start and after each trouble, then interrupts", () => {
    const grace = new OutageGrace(30, 0);
    expect(grace.mayInterrupt(1_000)).toBe(false);
    expect(grace.mayInterrupt(30_000)).toBe(true);
    grace.trouble(10_000);
    expect(grace.mayInterrupt(10_000)).toBe(false);
    expect(grace.mayInterrupt(39_999)).toBe(false);
    expect(grace.mayInterrupt(40_000)).toBe(true);
    // A second failure during the grace starts it again from the later failure.
    grace.trouble(20_000);
    grace.trouble(35_000);
    expect(grace.mayInterrupt(60_000)).toBe(false);
    expect(grace.mayInterrupt(65_000)).toBe(true);
  });
});
