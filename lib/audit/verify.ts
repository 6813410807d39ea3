import { db, type Db, type Tx } from "../db/client";
import { GENESIS_HASH, eventHash, hashedFieldsOf } from "./canonical";
import { readArchiveAnchor, writeLastVerify, type LastVerify } from "./settings";

export type VerifyResult = { ok: true; count: number; head: string; headId: string | null } | { ok: false; count: number; brokenAt: string; reason: string };

export interface VerifyOptions {
  client?: Db;
  batchSize?: number;
  /** A head hash kept elsewhere (copied from the audit page): it must still be in the chain, or archived. */
  expectHead?: string;
}

type EventRow = Awaited<ReturnType<Tx["auditEvent"]["findMany"]>>[number];

/** The hash a stored event should carry, from exactly the fields recordAudit hashed. */
export function recomputeHash(prevHash: string, row: EventRow): string {
  return eventHash(prevHash, hashedFieldsOf(row));
}

/** Does this event record the archive run that left `anchor` as the chain's starting point? */
function attestsAnchor(row: EventRow, anchor: { id: string; hash: string }): boolean {
  if (row.action !== "audit.archive" || row.outcome !== "success") return false;
  const summary = row.summary as { anchor?: { id?: unknown; hash?: unknown } } | null;
  return summary?.anchor?.id === anchor.id && summary.anchor.hash === anchor.hash;
}

/**
 * Walks the chain in id order, recomputing every hash, and names the first event that does not match.
 * After an archive run the chain starts at the archive anchor instead of the genesis hash; the anchor counts
 * only when an audit.archive event in the remaining chain names it. Reads one consistent snapshot, so events
 * appended (or archived) while it runs cannot make it report a break that is not there.
 */
export async function verifyAuditChain(options: VerifyOptions = {}): Promise<VerifyResult> {
  const client = options.client ?? db();
  const batchSize = options.batchSize ?? 5_000;
  return client.$transaction(
    async (tx) => {
      const anchor = await readArchiveAnchor(tx);
      if (anchor === "invalid") {
        return { ok: false, count: 0, brokenAt: "archive anchor", reason: "the archive anchor setting is malformed" };
      }
      let prevHash = anchor?.hash ?? GENESIS_HASH;
      let anchorAttested = false;
      let headSeen = options.expectHead === undefined || options.expectHead === anchor?.hash;
      let firstId: string | null = null;
      let lastId: string | null = null;
      let count = 0;
      let cursor: bigint | undefined;
      for (;;) {
        const rows = await tx.auditEvent.findMany({
          where: cursor === undefined ? {} : { id: { gt: cursor } },
          orderBy: { id: "asc" },
          take: batchSize,
        });
        if (rows.length === 0) break;
        for (const row of rows) {
          const id = row.id.toString();
          firstId ??= id;
          if (anchor && row.id <= BigInt(anchor.id)) {
            return { ok: false, count, brokenAt: id, reason: "event is older than the archive anchor: it should have been archived" };
          }
          if (row.prevHash !== prevHash) {
            const reason =
              count === 0 && anchor
                ? "first event does not link to the archive anchor"
                : count === 0
                  ? "first event does not link to the genesis hash (were older events removed without `audit archive`?)"
                  : "previous-hash link does not match the event before it";
            return { ok: false, count, brokenAt: id, reason };
          }
          if (recomputeHash(prevHash, row) !== row.hash) return { ok: false, count, brokenAt: id, reason: "content does not match its hash" };
          if (anchor && !anchorAttested) anchorAttested = attestsAnchor(row, anchor);
          if (!headSeen) headSeen = row.hash === options.expectHead;
          prevHash = row.hash;
          lastId = id;
          count++;
          cursor = row.id;
        }
      }
      if (anchor && !anchorAttested) {
        return { ok: false, count, brokenAt: firstId ?? "archive anchor", reason: "no audit.archive event names the archive anchor" };
      }
      if (!headSeen) {
        return { ok: false, count, brokenAt: lastId ?? "head", reason: "the head hash you kept is not in the chain: events were removed from its end (or archived since)" };
      }
      return { ok: true, count, head: prevHash, headId: lastId };
    },
    { isolationLevel: "RepeatableRead", timeout: 30 * 60_000, maxWait: 30_000 },
  );
}

/** Verifies and records the outcome (Setting "audit.lastVerify") for the audit page. */
export async function runAuditVerification(by: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  const result = await verifyAuditChain(options);
  const record: LastVerify = {
    at: new Date().toISOString(),
    ok: result.ok,
    count: result.count,
    head: result.ok ? result.head : null,
    brokenAt: result.ok ? null : result.brokenAt,
    reason: result.ok ? null : result.reason,
    by,
  };
  await writeLastVerify(options.client ?? db(), record);
  return result;
}
