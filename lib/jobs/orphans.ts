import type PgBoss from "pg-boss";
import type { Db } from "../db/client";

/**
 * The active jobs of one queue with their data. pg-boss has no call for this; the query reads only its own
 * table. For a domain sweep that knows which of them lost their worker (their work already ended elsewhere).
 */
export async function listActiveJobs<T>(client: Db, queue: string): Promise<{ id: string; data: T }[]> {
  return client.$queryRaw<{ id: string; data: T }[]>`SELECT id::text AS id, data FROM pgboss.job WHERE name = ${queue} AND state = 'active'`;
}

/** Fails these active jobs with one reason (a queue's retry policy then decides whether they run again). */
export async function failJobs(boss: PgBoss, queue: string, jobIds: string[], reason: string): Promise<void> {
  for (const id of jobIds) await boss.fail(queue, id, { message: reason });
}
