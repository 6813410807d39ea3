import type { Db } from "../db/client";

/** Failed sign-ins allowed in a window before the key is locked for the rest of the window. */
export const THROTTLE = {
  windowMinutes: 15,
  perAccount: 5,
  perIp: 20,
} as const;

export function throttleKeys(email: string, ip: string | null): { key: string; limit: number }[] {
  const keys: { key: string; limit: number }[] = [{ key: `acct:${email.trim().toLowerCase()}`, limit: THROTTLE.perAccount }];
  if (ip) keys.push({ key: `ip:${ip}`, limit: THROTTLE.perIp });
  return keys;
}

/** Minutes until the first lock among the keys ends, or null when none is locked. */
export async function lockedForMinutes(client: Db, keys: string[]): Promise<number | null> {
  const rows = await client.loginThrottle.findMany({ where: { key: { in: keys }, lockedUntil: { gt: new Date() } } });
  if (rows.length === 0) return null;
  const until = Math.max(...rows.map((r) => r.lockedUntil!.getTime()));
  return Math.max(1, Math.ceil((until - Date.now()) / 60_000));
}

/** Counts one failure against each key atomically (safe across replicas) and locks keys over their limit. */
export async function recordFailure(client: Db, keys: { key: string; limit: number }[]): Promise<void> {
  const window = `${THROTTLE.windowMinutes} minutes`;
  for (const { key, limit } of keys) {
    await client.$executeRaw`
      INSERT INTO "LoginThrottle" ("key", "failures", "windowStart") VALUES (${key}, 1, now())
      ON CONFLICT ("key") DO UPDATE SET
        "failures" = CASE WHEN "LoginThrottle"."windowStart" < now() - ${window}::interval THEN 1
                          ELSE "LoginThrottle"."failures" + 1 END,
        "windowStart" = CASE WHEN "LoginThrottle"."windowStart" < now() - ${window}::interval THEN now()
                             ELSE "LoginThrottle"."windowStart" END,
        "lockedUntil" = CASE WHEN "LoginThrottle"."windowStart" >= now() - ${window}::interval
                              AND "LoginThrottle"."failures" + 1 >= ${limit}
                             THEN now() + ${window}::interval ELSE "LoginThrottle"."lockedUntil" END`;
  }
}

export async function clearAccountFailures(client: Db, email: string): Promise<void> {
  await client.loginThrottle.deleteMany({ where: { key: `acct:${email.trim().toLowerCase()}` } });
}
