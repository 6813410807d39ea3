/**
 * Test helpers for "this action writes exactly one audit event" (vitest only; nothing in the app imports this).
 * Other rooms add their actions to the same kind of table: see lib/audit/events.test.ts.
 */
import { expect } from "vitest";
import { db } from "../db/client";
import type { AuditOutcome } from "./record";

export interface ExpectedAuditEvent {
  action: string;
  outcome: AuditOutcome;
  actorType?: "user" | "token" | "anonymous" | "system";
  actorId?: string | null;
  actorLabel?: string;
  actorRole?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  targetName?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  /** Keys and values the summary must contain (a subset match). */
  summary?: Record<string, unknown>;
}

export type StoredAuditEvent = NonNullable<Awaited<ReturnType<ReturnType<typeof db>["auditEvent"]["findFirst"]>>>;

/** The id of the newest event (0n for an empty log): the line after which a test's events start. */
export async function lastAuditId(): Promise<bigint> {
  const row = await db().auditEvent.findFirst({ orderBy: { id: "desc" }, select: { id: true } });
  return row?.id ?? 0n;
}

export function auditEventsAfter(id: bigint): Promise<StoredAuditEvent[]> {
  return db().auditEvent.findMany({ where: { id: { gt: id } }, orderBy: { id: "asc" } });
}

/**
 * Runs `run` (which may throw: failures and refusals are audited too) and asserts it wrote exactly one event,
 * matching `expected` (a function of the result when the target id is only known afterwards).
 */
export async function expectOneAuditEvent<T>(run: () => Promise<T>, expected: ExpectedAuditEvent | ((result: T | undefined) => ExpectedAuditEvent)): Promise<{ result: T | undefined; error: unknown; event: StoredAuditEvent }> {
  const before = await lastAuditId();
  let result: T | undefined;
  let error: unknown;
  try {
    result = await run();
  } catch (err) {
    error = err;
  }
  const events = await auditEventsAfter(before);
  const want = typeof expected === "function" ? expected(result) : expected;
  expect(
    events.map((e) => `${e.action}/${e.outcome}`),
    `events written by ${want.action}`,
  ).toEqual([`${want.action}/${want.outcome}`]);
  const event = events[0]!;
  const { summary, ...columns } = want;
  expect(event).toMatchObject(columns);
  if (summary) expect(event.summary).toMatchObject(summary);
  return { result, error, event };
}

/** JSON of every column of every event: what "no secret ever appears in the audit log" greps. */
export async function allAuditEventsAsText(): Promise<string> {
  const rows = await db().auditEvent.findMany({ orderBy: { id: "asc" } });
  return JSON.stringify(rows, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}
