import { describe, expect, it } from "vitest";
import { db } from "../db/client";
import { accountKey, addressKey, progressiveDelayMinutes, reserveAttempt, signInKeys, THROTTLE, unlockAccount, type Reservation } from "./throttle";

const lockedFor = async (key: string) => {
  const row = await db().loginThrottle.findUnique({ where: { key } });
  return row?.lockedUntil ? (row.lockedUntil.getTime() - Date.now()) / 60_000 : null;
};

describe("progressive delay", () => {
  it("is none below the limit, then 1, 2, 4, 8 minutes, capped at 15", () => {
    expect([1, 2, 3, 4].map((n) => progressiveDelayMinutes(n))).toEqual([null, null, null, null]);
    expect([5, 6, 7, 8, 9, 10, 20].map((n) => progressiveDelayMinutes(n))).toEqual([1, 2, 4, 8, 15, 15, 15]);
  });
});

describe("reserving sign-in attempts (real Postgres)", () => {
  it("lets exactly the limit through when 50 attempts arrive at once", async () => {
    const keys = [accountKey("parallel@example.test")];
    const results = await Promise.all(Array.from({ length: 50 }, () => reserveAttempt(db(), keys)));
    expect(results.filter((r) => r.ok)).toHaveLength(THROTTLE.perAccount);
    const refused = results.filter((r) => !r.ok);
    expect(refused).toHaveLength(50 - THROTTLE.perAccount);
    // One refusal per lock is the one to audit.
    expect(refused.filter((r) => r.firstOfLock)).toHaveLength(1);
    const row = await db().loginThrottle.findUniqueOrThrow({ where: { key: keys[0]!.key } });
    expect(row.failures).toBe(THROTTLE.perAccount);
    expect(row.refused).toBe(45);
    expect(await lockedFor(keys[0]!.key)).toBeCloseTo(1, 1);
  });

  it("doubles the lock with each further failure, reports the refusals once, and a success clears the account", async () => {
    const keys = [accountKey("doubling@example.test")];
    for (let i = 0; i < 5; i++) expect((await reserveAttempt(db(), keys)).ok).toBe(true);
    for (let i = 0; i < 3; i++) expect((await reserveAttempt(db(), keys)).ok).toBe(false);
    // Time passes (the lock is over): the next attempt is checked, and carries the three refusals.
    await db().loginThrottle.update({ where: { key: keys[0]!.key }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    const sixth = await reserveAttempt(db(), keys);
    expect(sixth).toMatchObject({ ok: true, refusedWhileLocked: 3 });
    expect(await lockedFor(keys[0]!.key)).toBeCloseTo(2, 1);
    const refusedAgain = await reserveAttempt(db(), keys);
    expect(refusedAgain).toMatchObject({ ok: false, scope: "account", minutes: 2, firstOfLock: true });
    await db().loginThrottle.update({ where: { key: keys[0]!.key }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    const seventh = (await reserveAttempt(db(), keys)) as Reservation;
    expect(seventh).toMatchObject({ ok: true, refusedWhileLocked: 1 });
    expect(await lockedFor(keys[0]!.key)).toBeCloseTo(4, 1);
    await seventh.succeeded();
    expect(await db().loginThrottle.findUnique({ where: { key: keys[0]!.key } })).toBeNull();
  });

  it("never locks longer than the cap, and forgets failures after a quiet day", async () => {
    const key = accountKey("capped@example.test");
    await db().loginThrottle.create({ data: { key: key.key, failures: 30, windowStart: new Date() } });
    expect((await reserveAttempt(db(), [key])).ok).toBe(true);
    expect(await lockedFor(key.key)).toBeCloseTo(THROTTLE.maxDelayMinutes, 1);
    await db().loginThrottle.update({ where: { key: key.key }, data: { lockedUntil: null, windowStart: new Date(Date.now() - 25 * 3_600_000) } });
    expect((await reserveAttempt(db(), [key])).ok).toBe(true);
    expect((await db().loginThrottle.findUniqueOrThrow({ where: { key: key.key } })).failures).toBe(1);
  });

  it("counts an address per window, gives a success's reservation back, and reserves all keys or none", async () => {
    const ip = "198.51.100.7";
    for (let i = 0; i < THROTTLE.perIp - 1; i++) expect((await reserveAttempt(db(), signInKeys(`spray-${i}@example.test`, ip))).ok).toBe(true);
    const good = (await reserveAttempt(db(), signInKeys("real@example.test", ip))) as Reservation;
    expect(good.ok).toBe(true);
    await good.succeeded();
    expect((await db().loginThrottle.findUniqueOrThrow({ where: { key: addressKey(ip).key } })).failures).toBe(THROTTLE.perIp - 1);
    expect((await reserveAttempt(db(), signInKeys("spray-last@example.test", ip))).ok).toBe(true);
    const blocked = await reserveAttempt(db(), signInKeys("someone@example.test", ip));
    expect(blocked).toMatchObject({ ok: false, scope: "address", firstOfLock: true });
    // The refused attempt counted nothing against the account it named.
    expect(await db().loginThrottle.findUnique({ where: { key: accountKey("someone@example.test").key } })).toBeNull();
  });

  it("an admin's unlock clears the account and its second factor", async () => {
    const user = await db().user.create({ data: { email: "unlock@example.test", passwordHash: "x" } });
    for (let i = 0; i < 6; i++) await reserveAttempt(db(), [accountKey(user.email)]);
    expect(await unlockAccount(db(), user.email, user.id)).toBe(true);
    expect((await reserveAttempt(db(), [accountKey(user.email)])).ok).toBe(true);
  });
});
