import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
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
