import { db, type Db } from "../db/client";
import { GENESIS_HASH, eventHash } from "./canonical";

export type VerifyResult =
  | { ok: true; count: number; head: string }
  | { ok: false; count: number; brokenAt: string; reason: string };

/** Walks the chain in id order, recomputing every hash; names the first event that does not match. */
export async function verifyAuditChain(client: Db = db(), batchSize = 5_000): Promise<VerifyResult> {
  let prevHash = GENESIS_HASH;
  let count = 0;
  let cursor: bigint | undefined;
  for (;;) {
    const rows = await client.auditEvent.findMany({
      where: cursor === undefined ? {} : { id: { gt: cursor } },
      orderBy: { id: "asc" },
      take: batchSize,
    });
    if (rows.length === 0) break;
    for (const row of rows) {
      if (row.prevHash !== prevHash) {
        return { ok: false, count, brokenAt: row.id.toString(), reason: "previous-hash link does not match the event before it" };
      }
      const expected = eventHash(prevHash, {
        at: row.at,
        actorType: row.actorType,
        actorId: row.actorId,
        actorLabel: row.actorLabel,
        actorRole: row.actorRole,
        ip: row.ip,
        userAgent: row.userAgent,
        action: row.action,
        targetType: row.targetType,
        targetId: row.targetId,
        targetName: row.targetName,
        outcome: row.outcome,
        summary: row.summary,
      });
      if (expected !== row.hash) return { ok: false, count, brokenAt: row.id.toString(), reason: "content does not match its hash" };
      prevHash = row.hash;
      count++;
      cursor = row.id;
    }
  }
  return { ok: true, count, head: prevHash };
}
