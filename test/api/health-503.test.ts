import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ensureEmbeddedPostgres, type EmbeddedDatabase } from "../../lib/db/embedded";
import { migrateDatabase } from "../../lib/db/migrate";
import { freePort } from "../harness/git-app";

/**
 * /api/health against a real Postgres that the test stops and starts again: the endpoint reports what the
 * database really does, not a constant. Runs its own web process (the built app) on its own database.
 */
const root = path.resolve(import.meta.dirname, "../..");
const dataDir = mkdtempSync(path.join(os.tmpdir(), "deckhand-health-"));
// The embedded Postgres runs as the postgres user when the tests run as root: it must reach its folder.
chmodSync(dataDir, 0o755);
let web: ChildProcess | undefined;
let pg: EmbeddedDatabase | undefined;

afterAll(async () => {
  web?.kill("SIGTERM");
  await pg?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function health(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${url}/api/health`);
  return { status: res.status, body: await res.json() };
}

describe("GET /api/health", () => {
  it("answers 200 while Postgres answers, 503 once it is stopped, and 200 again after it is back", async () => {
    const pgPort = await freePort();
    pg = await ensureEmbeddedPostgres({ dataDir, port: pgPort });
    await migrateDatabase(pg.url);
    const port = await freePort();
    web = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts/web-server.ts")], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: pg.url, PORT: String(port), DECKHAND_HOST: "127.0.0.1", NODE_ENV: "production" },
      stdio: "ignore",
    });
    const url = `http://127.0.0.1:${port}`;
    await expect
      .poll(
        () =>
          health(url)
            .then((h) => h.status)
            .catch(() => 0),
        { timeout: 60_000, interval: 300 },
      )
      .toBe(200);
    // A web process alone: healthy, and it says no worker is running.
    expect((await health(url)).body).toEqual({ status: "ok", db: "ok", worker: "none" });

    await pg.stop();
    const down = await health(url);
    expect(down.status).toBe(503);
    expect(down.body).toEqual({ status: "error", db: "error", worker: "unknown" });

    pg = await ensureEmbeddedPostgres({ dataDir, port: pgPort });
    await expect.poll(() => health(url).then((h) => h.status), { timeout: 30_000, interval: 300 }).toBe(200);
  }, 120_000);
});
