import { db, type Db } from "../db/client";

export interface SelfHealth {
  status: "ok" | "error";
  db: "ok" | "error";
}

/** Deckhand's own health: a real query against Postgres, with a short timeout so a hung database answers 503. */
export async function getSelfHealth(client: Db = db(), timeoutMs = 2_000): Promise<SelfHealth> {
  try {
    await Promise.race([
      client.$queryRaw`SELECT 1`,
      new Promise((_, reject) => setTimeout(() => reject(new Error("database timeout")), timeoutMs).unref()),
    ]);
    return { status: "ok", db: "ok" };
  } catch {
    return { status: "error", db: "error" };
  }
}
