import type { Db, Tx } from "../db/client";

/**
 * Sign-in throttling, shared by every replica through one table. An attempt is counted (reserved) before its
 * password or code is checked, in one statement per key that refuses while the key is locked, so parallel
 * guesses cannot get past the limit. Two kinds of key:
 *  - progressive (an account, a second factor): from the limit on, each failure locks the key, for 1 minute,
 *    then 2, 4 … at most 15; a success clears it; a quiet day forgets old failures. An attacker is slowed to a
 *    crawl, the real user waits at most 15 minutes for one more try, and an admin can unlock at once.
 *  - window (an address): at most `perIp` failures per 15-minute window, whatever the accounts.
 */
export const THROTTLE = {
  windowMinutes: 15,
  perAccount: 5,
  perIp: 20,
  firstDelayMinutes: 1,
  maxDelayMinutes: 15,
  /** Failures of a progressive key older than this (with no attempt since) are forgotten. */
  forgetAfterHours: 24,
} as const;

export type ThrottleScope = "account" | "address" | "second_factor";

export interface ThrottleKey {
  key: string;
  scope: ThrottleScope;
  kind: "progressive" | "window";
  limit: number;
}

export function accountKey(email: string): ThrottleKey {
  return { key: `acct:${email.trim().toLowerCase()}`, scope: "account", kind: "progressive", limit: THROTTLE.perAccount };
}

export function addressKey(ip: string): ThrottleKey {
  return { key: `ip:${ip}`, scope: "address", kind: "window", limit: THROTTLE.perIp };
}

export function secondFactorKey(userId: string): ThrottleKey {
  return { key: `totp:${userId}`, scope: "second_factor", kind: "progressive", limit: THROTTLE.perAccount };
}

/** The keys a password attempt counts against, address first (every reservation takes rows in this order). */
export function signInKeys(email: string, ip: string | null): ThrottleKey[] {
  return ip ? [addressKey(ip), accountKey(email)] : [accountKey(email)];
}

/** The lock the nth consecutive failure of a progressive key starts, in minutes (null below the limit). */
export function progressiveDelayMinutes(failures: number, limit: number = THROTTLE.perAccount): number | null {
  if (failures < limit) return null;
  return Math.min(THROTTLE.maxDelayMinutes, THROTTLE.firstDelayMinutes * 2 ** (failures - limit));
}

interface ReservedRow {
  failures: number;
  refused: number;
}

async function reserveKey(tx: Tx, k: ThrottleKey): Promise<ReservedRow | null> {
  const window = `${THROTTLE.windowMinutes} minutes`;
  const forget = `${THROTTLE.forgetAfterHours} hours`;
  const rows =
    k.kind === "progressive"
      ? await tx.$queryRaw<ReservedRow[]>`
          INSERT INTO "LoginThrottle" AS t ("key", "failures", "windowStart", "lockedUntil")
          VALUES (${k.key}, 1, now(), CASE WHEN 1 >= ${k.limit} THEN now() + ${THROTTLE.firstDelayMinutes} * interval '1 minute' END)
          ON CONFLICT ("key") DO UPDATE SET
            "failures" = CASE WHEN t."windowStart" < now() - ${forget}::interval THEN 1 ELSE t."failures" + 1 END,
            "windowStart" = now(),
            "lockedUntil" = CASE
              WHEN (CASE WHEN t."windowStart" < now() - ${forget}::interval THEN 1 ELSE t."failures" + 1 END) >= ${k.limit}
              THEN now() + LEAST(${THROTTLE.maxDelayMinutes}::float8,
                                 ${THROTTLE.firstDelayMinutes}::float8 * power(2, t."failures" + 1 - ${k.limit})) * interval '1 minute'
              END
          WHERE t."lockedUntil" IS NULL OR t."lockedUntil" <= now()
          RETURNING "failures", "refused"`
      : await tx.$queryRaw<ReservedRow[]>`
          INSERT INTO "LoginThrottle" AS t ("key", "failures", "windowStart", "lockedUntil")
          VALUES (${k.key}, 1, now(), CASE WHEN 1 >= ${k.limit} THEN now() + ${window}::interval END)
          ON CONFLICT ("key") DO UPDATE SET
            "failures" = CASE WHEN t."windowStart" < now() - ${window}::interval THEN 1 ELSE t."failures" + 1 END,
            "windowStart" = CASE WHEN t."windowStart" < now() - ${window}::interval THEN now() ELSE t."windowStart" END,
            "lockedUntil" = CASE
              WHEN (CASE WHEN t."windowStart" < now() - ${window}::interval THEN 1 ELSE t."failures" + 1 END) >= ${k.limit}
              THEN now() + ${window}::interval
              END
          WHERE t."lockedUntil" IS NULL OR t."lockedUntil" <= now()
          RETURNING "failures", "refused"`;
  const row = rows[0];
  if (!row) return null;
  // The refusals of the lock that just ended are reported with this attempt; the next lock counts from zero.
  if (row.refused > 0) await tx.$executeRaw`UPDATE "LoginThrottle" SET "refused" = "refused" - ${row.refused} WHERE "key" = ${k.key}`;
  return row;
}

class KeyLocked extends Error {
  constructor(readonly key: ThrottleKey) {
    super(`${key.key} is locked`);
  }
}

export interface Refusal {
  ok: false;
  scope: ThrottleScope;
  minutes: number;
  /** true for the first refused attempt of this lock: the one that is audited. */
  firstOfLock: boolean;
}

export interface Reservation {
  ok: true;
  /** Attempts refused during the lock that ended before this one (per key scope), for its audit event. */
  refusedWhileLocked: number;
  /** The attempt was right: clears the progressive keys and gives back the address's reserved failure. */
  succeeded(): Promise<void>;
}

async function refuse(client: Db, key: ThrottleKey): Promise<Refusal> {
  const rows = await client.$queryRaw<{ refused: number; lockedUntil: Date }[]>`
    UPDATE "LoginThrottle" SET "refused" = "refused" + 1
    WHERE "key" = ${key.key} AND "lockedUntil" > now()
    RETURNING "refused", "lockedUntil"`;
  const row = rows[0];
  const until = row?.lockedUntil.getTime() ?? Date.now();
  return { ok: false, scope: key.scope, minutes: Math.max(1, Math.ceil((until - Date.now()) / 60_000)), firstOfLock: row?.refused === 1 };
}

/** Counts one attempt against every key at once, or against none when any of them is locked. */
export async function reserveAttempt(client: Db, keys: ThrottleKey[]): Promise<Reservation | Refusal> {
  let refusedWhileLocked = 0;
  try {
    await client.$transaction(async (tx) => {
      for (const key of keys) {
        const row = await reserveKey(tx, key);
        if (!row) throw new KeyLocked(key);
        refusedWhileLocked += row.refused;
      }
    });
  } catch (err) {
    if (err instanceof KeyLocked) return refuse(client, err.key);
    throw err;
  }
  return {
    ok: true,
    refusedWhileLocked,
    async succeeded() {
      for (const key of keys) {
        if (key.kind === "progressive") await client.loginThrottle.deleteMany({ where: { key: key.key } });
        else await releaseWindowFailure(client, key);
      }
    },
  };
}

async function releaseWindowFailure(client: Db, key: ThrottleKey): Promise<void> {
  await client.$executeRaw`
    UPDATE "LoginThrottle" SET
      "failures" = GREATEST("failures" - 1, 0),
      "lockedUntil" = CASE WHEN "failures" - 1 < ${key.limit} THEN NULL ELSE "lockedUntil" END
    WHERE "key" = ${key.key}`;
}

/** An admin's unlock: the account's and its second factor's counters start again from zero. */
export async function unlockAccount(client: Db | Tx, email: string, userId: string): Promise<boolean> {
  const { count } = await client.loginThrottle.deleteMany({ where: { key: { in: [accountKey(email).key, secondFactorKey(userId).key] } } });
  return count > 0;
}

/** The account locks in force now, by email (for the users table). */
export async function accountLocks(client: Db, emails: string[]): Promise<Map<string, Date>> {
  if (emails.length === 0) return new Map();
  const rows = await client.loginThrottle.findMany({
    where: { key: { in: emails.map((e) => accountKey(e).key) }, lockedUntil: { gt: new Date() } },
    select: { key: true, lockedUntil: true },
  });
  return new Map(rows.map((r) => [r.key.slice("acct:".length), r.lockedUntil!]));
}
