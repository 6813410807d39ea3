import { describe, expect, it } from "vitest";
import { db } from "../db/client";
import { createSession, endUserSessions, expiryReason, loadLiveSession, sessionLimitsText, touchIntervalMs, SECOND_FACTOR_WINDOW_MS } from "./sessions";
import { setRole } from "./users";

const limits = { maxAgeMs: 7 * 86_400_000, idleMs: 12 * 3_600_000 };

describe("session limits", () => {
  it("ends a session past its lifetime, past its idle limit, or owing a code for too long", () => {
    const now = new Date("2026-12-20T12:00:00Z");
    const ago = (ms: number) => new Date(now.getTime() - ms);
    expect(expiryReason({ createdAt: ago(1000), lastSeenAt: ago(1000) }, now, limits, false)).toBeNull();
    expect(expiryReason({ createdAt: ago(limits.maxAgeMs), lastSeenAt: ago(1000) }, now, limits, false)).toBe("lifetime");
    expect(expiryReason({ createdAt: ago(limits.idleMs + 5), lastSeenAt: ago(limits.idleMs) }, now, limits, false)).toBe("idle");
    expect(expiryReason({ createdAt: ago(SECOND_FACTOR_WINDOW_MS), lastSeenAt: ago(1000) }, now, limits, true)).toBe("second_factor_timeout");
    expect(expiryReason({ createdAt: ago(SECOND_FACTOR_WINDOW_MS), lastSeenAt: ago(1000) }, now, limits, false)).toBeNull();
  });

  it("touches once a minute, or four times per idle limit when that is shorter, and says the limits in words", () => {
    expect(touchIntervalMs(limits)).toBe(60_000);
    expect(touchIntervalMs({ maxAgeMs: 60_000, idleMs: 3_000 })).toBe(750);
    expect(sessionLimitsText(limits)).toBe("after 12 hours unused, and 7 days after sign-in at the latest");
  });
});

describe("session records (real Postgres)", () => {
  it("stand while used, end on idle and lifetime, and end with a role change (sessionVersion too)", async () => {
    const user = await db().user.create({ data: { email: "records@example.test", passwordHash: "x", role: "admin" } });
    await db().user.create({ data: { email: "records-other-admin@example.test", passwordHash: "x", role: "admin" } });
    const claims = async () => ({ uid: user.id, sv: 0, sid: await createSession(db(), { userId: user.id, ip: "203.0.113.9", userAgent: "vitest" }) });

    const a = await claims();
    const t0 = new Date();
    expect((await loadLiveSession(db(), a, t0, limits))?.user.email).toBe(user.email);
    const later = new Date(t0.getTime() + 2 * 60_000);
    expect(await loadLiveSession(db(), a, later, limits)).not.toBeNull();
    expect((await db().session.findUniqueOrThrow({ where: { id: a.sid } })).lastSeenAt).toEqual(later);
    expect(await loadLiveSession(db(), a, new Date(later.getTime() + limits.idleMs), limits)).toBeNull();
    expect(await db().session.findUniqueOrThrow({ where: { id: a.sid } })).toMatchObject({ endReason: "idle" });

    const b = await claims();
    expect(await loadLiveSession(db(), b, new Date(Date.now() + limits.maxAgeMs), { ...limits, idleMs: limits.maxAgeMs * 2 })).toBeNull();
    expect(await db().session.findUniqueOrThrow({ where: { id: b.sid } })).toMatchObject({ endReason: "lifetime" });

    const c = await claims();
    expect(await loadLiveSession(db(), { ...c, uid: "someone-else" })).toBeNull();
    await setRole(db(), user.id, "deployer");
    expect(await loadLiveSession(db(), c)).toBeNull();
    expect(await db().session.findUniqueOrThrow({ where: { id: c.sid } })).toMatchObject({ endReason: "role_change" });
    const d = await claims();
    expect(await loadLiveSession(db(), d)).toBeNull();
    expect(await loadLiveSession(db(), { ...d, sv: 1 })).not.toBeNull();
    expect(await endUserSessions(db(), user.id, "ended_all")).toBe(1);
    expect(await loadLiveSession(db(), { ...d, sv: 1 })).toBeNull();
  });
});
