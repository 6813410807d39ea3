import { randomBytes } from "node:crypto";
import type { Db, Tx } from "../db/client";
import { env } from "../env";
import type { Role } from "./roles";

/** Why a session ended; the own-account page and the audit log use these words. */
export type EndReason = "signout" | "ended_by_user" | "ended_all" | "idle" | "lifetime" | "password_change" | "role_change" | "disabled" | "two_factor_enabled" | "two_factor_reset" | "second_factor_timeout";

export interface SessionLimits {
  maxAgeMs: number;
  idleMs: number;
}

export function sessionLimits(): SessionLimits {
  const e = env();
  return { maxAgeMs: e.DECKHAND_SESSION_MAX_AGE_HOURS * 3_600_000, idleMs: e.DECKHAND_SESSION_IDLE_MINUTES * 60_000 };
}

function duration(ms: number): string {
  const minutes = ms / 60_000;
  const say = (n: number, unit: string) => `${Number(n.toFixed(1))} ${unit}${n === 1 ? "" : "s"}`;
  if (minutes < 1) return say(ms / 1000, "second");
  if (minutes < 120) return say(minutes, "minute");
  if (minutes < 72 * 60) return say(minutes / 60, "hour");
  return say(minutes / 1440, "day");
}

/** "after 12 hours unused, and 7 days after sign-in at the latest" (the own-account page). */
export function sessionLimitsText(limits = sessionLimits()): string {
  return `after ${duration(limits.idleMs)} unused, and ${duration(limits.maxAgeMs)} after sign-in at the latest`;
}

/** Between the password and the code: a session that owes its second factor lasts this long at most. */
export const SECOND_FACTOR_WINDOW_MS = 10 * 60_000;

/** lastSeenAt is written once a minute, or four times per idle limit when that is shorter (tests use seconds). */
export function touchIntervalMs(limits: SessionLimits): number {
  return Math.min(60_000, limits.idleMs / 4);
}

export interface SessionTimes {
  createdAt: Date;
  lastSeenAt: Date;
}

/** Why a session that nobody ended is over by now, or null while it stands. */
export function expiryReason(row: SessionTimes, now: Date, limits: SessionLimits, owesSecondFactor: boolean): EndReason | null {
  const age = now.getTime() - row.createdAt.getTime();
  if (age >= limits.maxAgeMs) return "lifetime";
  if (now.getTime() - row.lastSeenAt.getTime() >= limits.idleMs) return "idle";
  if (owesSecondFactor && age >= SECOND_FACTOR_WINDOW_MS) return "second_factor_timeout";
  return null;
}

export async function createSession(client: Db | Tx, input: { userId: string; ip: string | null; userAgent: string | null }): Promise<string> {
  const id = randomBytes(24).toString("base64url");
  await client.session.create({ data: { id, userId: input.userId, ip: input.ip, userAgent: input.userAgent?.slice(0, 512) ?? null } });
  // Sign-in is a good moment to forget this user's sessions that ended long ago.
  await client.session.deleteMany({ where: { userId: input.userId, OR: [{ endedAt: { lt: new Date(Date.now() - 30 * 86_400_000) } }, { lastSeenAt: { lt: new Date(Date.now() - 30 * 86_400_000) } }] } });
  return id;
}

export async function endSession(client: Db | Tx, id: string, reason: EndReason): Promise<boolean> {
  const { count } = await client.session.updateMany({ where: { id, endedAt: null }, data: { endedAt: new Date(), endReason: reason } });
  return count > 0;
}

/** Ends one of the user's own sessions; another user's session id ends nothing. */
export async function endOwnSession(client: Db | Tx, userId: string, id: string): Promise<boolean> {
  const { count } = await client.session.updateMany({ where: { id, userId, endedAt: null }, data: { endedAt: new Date(), endReason: "ended_by_user" } });
  return count > 0;
}

/** Ends every live session of the user (but `keep`, the one asking, when given); returns how many. */
export async function endUserSessions(client: Db | Tx, userId: string, reason: EndReason, keep?: string): Promise<number> {
  const { count } = await client.session.updateMany({
    where: { userId, endedAt: null, ...(keep ? { id: { not: keep } } : {}) },
    data: { endedAt: new Date(), endReason: reason },
  });
  return count;
}

export async function markSecondFactorPassed(client: Db | Tx, id: string): Promise<void> {
  await client.session.updateMany({ where: { id, endedAt: null }, data: { secondFactorAt: new Date() } });
}

/** What the session cookie claims: user id, the user's sessionVersion at sign-in, and the session record's id. */
export interface SessionClaims {
  uid: string;
  sv: number;
  sid: string;
}

export interface LiveSession {
  id: string;
  secondFactorAt: Date | null;
  user: { id: string; email: string; name: string | null; role: Role; twoFactorEnabled: boolean };
}

/**
 * The session record behind a cookie, if it still stands: it exists, belongs to the user, was not ended, is
 * within its lifetime and idle limit, and the user is enabled with the same sessionVersion. A session found
 * past a limit is ended on the spot; a live one is touched (at most once per touch interval).
 */
export async function loadLiveSession(client: Db, claims: SessionClaims, now = new Date(), limits = sessionLimits()): Promise<LiveSession | null> {
  const row = await client.session.findUnique({
    where: { id: claims.sid },
    select: {
      id: true,
      userId: true,
      createdAt: true,
      lastSeenAt: true,
      secondFactorAt: true,
      endedAt: true,
      user: { select: { id: true, email: true, name: true, role: true, disabled: true, sessionVersion: true, totpEnabledAt: true } },
    },
  });
  if (!row || row.endedAt || row.userId !== claims.uid) return null;
  const { user } = row;
  if (user.disabled || user.sessionVersion !== claims.sv) return null;
  const twoFactorEnabled = user.totpEnabledAt !== null;
  const reason = expiryReason(row, now, limits, twoFactorEnabled && !row.secondFactorAt);
  if (reason) {
    await endSession(client, row.id, reason);
    return null;
  }
  if (now.getTime() - row.lastSeenAt.getTime() >= touchIntervalMs(limits)) {
    await client.session.updateMany({ where: { id: row.id, lastSeenAt: row.lastSeenAt }, data: { lastSeenAt: now } });
  }
  return {
    id: row.id,
    secondFactorAt: row.secondFactorAt,
    user: { id: user.id, email: user.email, name: user.name, role: user.role, twoFactorEnabled },
  };
}
