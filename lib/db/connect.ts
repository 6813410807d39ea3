import type { Env } from "../env";
import { ensureEmbeddedPostgres, type EmbeddedDatabase } from "./embedded";

/** DATABASE_URL when set; otherwise the embedded Postgres under the data dir (started if not running). */
export async function resolveDatabase(env: Env, onLog?: (m: string) => void): Promise<EmbeddedDatabase> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, startedHere: false, stop: async () => undefined };
  return ensureEmbeddedPostgres({ dataDir: env.dataDir, port: env.DECKHAND_PG_PORT, onLog });
}
