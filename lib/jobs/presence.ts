import { randomBytes } from "node:crypto";
import os from "node:os";
import type { Db } from "../db/client";

/**
 * Workers say they are alive in the Setting table, one row each (`worker.<host>.<pid>.<random>`), stamped with the
 * database's clock every sweep (5 s): `deckhand doctor` and the scale test can tell how many are running
 * without a registry or anything beyond Postgres. A stopped worker removes its row; a killed one's row ages
 * out and is deleted by any worker an hour later.
 */
const PREFIX = "worker.";

export interface WorkerPresence {
  key: string;
  host: string;
  pid: number;
  startedAt: string;
  seenSecondsAgo: number;
}

/** Host and pid for people; a random part because containers repeat both (pid 1, shared host names). */
export function workerKey(): string {
  return `${PREFIX}${os.hostname()}.${process.pid}.${randomBytes(4).toString("hex")}`;
}

export async function reportWorkerAlive(client: Db, key: string, startedAt: Date): Promise<void> {
  const value = JSON.stringify({ host: os.hostname(), pid: process.pid, startedAt: startedAt.toISOString() });
  await client.$executeRaw`
    INSERT INTO "Setting" (key, value, "updatedAt") VALUES (${key}, ${value}::jsonb, now() AT TIME ZONE 'UTC')
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, "updatedAt" = EXCLUDED."updatedAt"`;
  await client.$executeRaw`
    DELETE FROM "Setting" WHERE key LIKE ${PREFIX + "%"} AND "updatedAt" < (now() AT TIME ZONE 'UTC') - interval '1 hour'`;
}

export async function removeWorker(client: Db, key: string): Promise<void> {
  await client.setting.deleteMany({ where: { key } });
}

/** Workers seen in the last hour, most recent first. */
export async function listWorkers(client: Db): Promise<WorkerPresence[]> {
  const rows = await client.$queryRaw<{ key: string; value: { host?: string; pid?: number; startedAt?: string }; ago: number }[]>`
    SELECT key, value, extract(epoch FROM (now() AT TIME ZONE 'UTC') - "updatedAt")::float8 AS ago
    FROM "Setting" WHERE key LIKE ${PREFIX + "%"} ORDER BY "updatedAt" DESC`;
  return rows.map((r) => ({
    key: r.key,
    host: r.value.host ?? "?",
    pid: r.value.pid ?? 0,
    startedAt: r.value.startedAt ?? "",
    seenSecondsAgo: Math.max(0, r.ago),
  }));
}
