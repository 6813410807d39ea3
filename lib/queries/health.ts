import { db, type Db } from "../db/client";
import { listWorkers } from "../jobs/presence";

/** A worker reports every 5 s; three missed reports and it counts as gone. */
const WORKER_SILENT_SECONDS = 15;

export interface SelfHealth {
  status: "ok" | "error";
  db: "ok" | "error";
  /** Whether any worker process has reported lately ("unknown" while the database cannot be asked). */
  worker: "ok" | "none" | "unknown";
}

/**
 * Deckhand's own health: a real query against Postgres, with a short timeout so a hung database answers 503,
 * and whether a worker is alive. A web process without a worker still serves (status ok): deploys and checks
 * wait for one, which the `worker` field says.
 */
export async function getSelfHealth(client: Db = db(), timeoutMs = 2_000): Promise<SelfHealth> {
  try {
    const workers = await Promise.race([listWorkers(client), new Promise<never>((_, reject) => setTimeout(() => reject(new Error("database timeout")), timeoutMs).unref())]);
    const alive = workers.some((w) => w.seenSecondsAgo <= WORKER_SILENT_SECONDS);
    return { status: "ok", db: "ok", worker: alive ? "ok" : "none" };
  } catch {
    return { status: "error", db: "error", worker: "unknown" };
  }
}
