import type { Tx } from "../db/client";
import { GENESIS_HASH, eventHash, redact, type HashedFields } from "./canonical";
import { readArchiveAnchor } from "./settings";

export type AuditOutcome = "success" | "failure" | "denied";

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

/** What an event is about: always a type, and an id or at least a name (a create that failed has no id yet). */
export interface AuditTarget {
  type: string;
  id?: string | null;
  name?: string | null;
}

export class UnnamedAuditTargetError extends Error {
  override name = "UnnamedAuditTargetError";
}

function assertNamed(action: string, target: AuditTarget | null | undefined): asserts target is AuditTarget {
  if (!target?.type || !(target.id || target.name)) throw new UnnamedAuditTargetError(`audit event ${action} names no target (a type and an id or name are required)`);
}

/**
 * Who did it, as the log records it. A signed-in principal (lib/auth) has this shape already; the audit room
 * keeps its own definition so it depends on no other room.
 */
export type AuditActor = { kind: "user"; id: string; email: string; name?: string | null; role: string } | { kind: "token"; id: string; name: string; role: string } | { kind: "anonymous"; label: string } | { kind: "system"; label: string };

export interface AuditInput {
  actor: AuditActor;
  meta: RequestMeta;
  action: string;
  target: AuditTarget;
  outcome: AuditOutcome;
  summary?: unknown;
}

/** Any constant works; it only has to be the same for every writer of the chain. */
const AUDIT_CHAIN_LOCK = 0x0de_c4a4d;

/** The event the next one links to: the newest row, or, when archiving removed every row, the archive anchor. */
async function chainHead(tx: Tx): Promise<{ prevHash: string; prevAt: Date | null }> {
  const previous = await tx.auditEvent.findFirst({ orderBy: { id: "desc" }, select: { hash: true, at: true } });
  if (previous) return { prevHash: previous.hash, prevAt: previous.at };
  const anchor = await readArchiveAnchor(tx);
  if (anchor && anchor !== "invalid") return { prevHash: anchor.hash, prevAt: new Date(anchor.at) };
  return { prevHash: GENESIS_HASH, prevAt: null };
}

/**
 * Appends one event to the hash chain inside the caller's transaction, so a change and its event commit
 * together. A transaction-scoped advisory lock serialises writers: the chain never forks.
 */
export async function recordAudit(tx: Tx, input: AuditInput): Promise<{ id: bigint; hash: string }> {
  assertNamed(input.action, input.target);
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`;
  const { prevHash, prevAt } = await chainHead(tx);
  const now = new Date();
  const actor = input.actor;
  const fields: HashedFields = {
    // Time never goes backwards along the chain (a replica's clock may lag by a few ms): the audit page turns
    // a date range into an id range on that guarantee.
    at: prevAt && prevAt > now ? prevAt : now,
    actorType: actor.kind,
    actorId: actor.kind === "user" || actor.kind === "token" ? actor.id : null,
    actorLabel: actor.kind === "user" ? actor.email : actor.kind === "token" ? `token ${actor.name}` : actor.label,
    actorRole: actor.kind === "user" || actor.kind === "token" ? actor.role : null,
    ip: input.meta.ip,
    userAgent: input.meta.userAgent?.slice(0, 512) ?? null,
    action: input.action,
    targetType: input.target.type,
    targetId: input.target.id ?? null,
    targetName: input.target.name ?? null,
    outcome: input.outcome,
    summary: input.summary === undefined ? null : redact(input.summary),
  };
  const hash = eventHash(prevHash, fields);
  const row = await tx.auditEvent.create({
    data: { ...fields, outcome: input.outcome, summary: fields.summary ?? undefined, prevHash, hash },
    select: { id: true, hash: true },
  });
  return row;
}
