import type { Db, Tx } from "../db/client";
import type { Prisma } from "../generated/prisma/client";

/**
 * Reads of one monitor's raw results straight from "CheckResultData" (lib/health/partitions.ts), through the
 * (monitorSeq, at) index of each day partition. The "CheckResult" view answers the same questions but, joined
 * to Monitor by id, cannot walk that index in time order.
 */
export interface RawCheck {
  at: Date;
  ok: boolean;
  latencyMs: number | null;
  detail: string | null;
  inDeployWindow: boolean;
  degraded: boolean;
  facts: Prisma.JsonValue | null;
}

/** The newest `limit` results of a monitor, newest first. */
export async function latestChecks(client: Db | Tx, monitorId: string, limit: number): Promise<RawCheck[]> {
  return client.$queryRaw<RawCheck[]>`
    SELECT c.at, (c.flags & 1) <> 0 AS ok, c."latencyMs"::float8 AS "latencyMs", c.detail, (c.flags & 2) <> 0 AS "inDeployWindow", (c.flags & 8) <> 0 AS degraded, c.facts
    FROM "CheckResultData" c
    WHERE c."monitorSeq" = (SELECT seq FROM "Monitor" WHERE id = ${monitorId})
    ORDER BY c.at DESC LIMIT ${limit}`;
}

/** A monitor's results in [from, to], oldest first, at most `limit`. */
export async function checksBetween(client: Db | Tx, monitorId: string, from: Date, to: Date, limit: number): Promise<{ at: Date; ok: boolean; latencyMs: number | null }[]> {
  return client.$queryRaw`
    SELECT c.at, (c.flags & 1) <> 0 AS ok, c."latencyMs"::float8 AS "latencyMs"
    FROM "CheckResultData" c
    WHERE c."monitorSeq" = (SELECT seq FROM "Monitor" WHERE id = ${monitorId}) AND c.at >= ${from.toISOString()}::timestamp AND c.at <= ${to.toISOString()}::timestamp
    ORDER BY c.at LIMIT ${limit}`;
}

/** How many results a monitor has in [from, to]. */
export async function countChecksBetween(client: Db | Tx, monitorId: string, from: Date, to: Date): Promise<number> {
  const [row] = await client.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM "CheckResultData" c
    WHERE c."monitorSeq" = (SELECT seq FROM "Monitor" WHERE id = ${monitorId}) AND c.at >= ${from.toISOString()}::timestamp AND c.at <= ${to.toISOString()}::timestamp`;
  return Number(row?.n ?? 0);
}
