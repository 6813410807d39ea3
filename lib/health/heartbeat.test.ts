import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { encryptSecret } from "../crypto/secretbox";
import { claimDueMonitors } from "./claim";
import { beatReportSchema, receiveBeat, recordMissedBeats } from "./heartbeat";
import { createMonitor, monitorInputSchema } from "./monitors";
import { pushTokenOf } from "./heartbeat";

/** Heartbeat monitors against real PostgreSQL: beats, missed deadlines, incidents and alerts through recordCheckResults. */
async function heartbeat(input: Record<string, unknown> = {}) {
  const m = await createMonitor(db(), monitorInputSchema.parse({ name: `beat-${Math.random().toString(36).slice(2, 8)}`, type: "heartbeat", intervalSeconds: 60, graceSeconds: 30, ...input }));
  return { ...m, token: (await pushTokenOf(db(), m.id))! };
}
const state = (id: string) => db().monitor.findUniqueOrThrow({ where: { id }, select: { status: true, nextRunAt: true, lastBeatAt: true } });
const report = (r: Record<string, unknown> = {}) => beatReportSchema.parse(r);

beforeEach(async () => {
  await db().notificationDelivery.deleteMany();
  await db().notificationChannel.deleteMany();
  await db().notificationChannel.create({ data: { name: "hook", type: "webhook", encryptedUrl: encryptSecret("http://127.0.0.1:9/hook") } });
});

describe("heartbeat monitors", () => {
  it("get a token and a first deadline of interval + grace; the scheduler never claims them", async () => {
    const before = Date.now();
    const m = await heartbeat();
    expect(m.token).toMatch(/^dhb_[\w-]{32}$/);
    const row = await db().monitor.findUniqueOrThrow({ where: { id: m.id } });
    expect(row.pushTokenHash).not.toContain(m.token);
    expect(row.pushTokenEncrypted).not.toContain(m.token);
    expect(row.nextRunAt.getTime() - before).toBeGreaterThanOrEqual(90_000 - 50);
    expect(row.nextRunAt.getTime() - before).toBeLessThan(91_000);
    await db().monitor.update({ where: { id: m.id }, data: { nextRunAt: new Date(Date.now() - 1_000) } });
    const claimed = await claimDueMonitors(db(), new Date(), new Date(Date.now() + 1_000), 100);
    expect(claimed.map((c) => c.id)).not.toContain(m.id);
    await db().monitor.delete({ where: { id: m.id } });
  });

  it("a beat makes it up and moves the deadline; a missed deadline makes it down with an incident and an alert; the next beat recovers", async () => {
    const m = await heartbeat();
    const now = new Date();
    expect(await receiveBeat(db(), m.token, report({ ping: "1234" }), now)).toEqual({ monitorId: m.id, status: "up" });
    const up = await state(m.id);
    expect(up.lastBeatAt).toEqual(now);
    expect(up.nextRunAt.getTime()).toBe(now.getTime() + 90_000);
    const beat = await db().checkResult.findFirstOrThrow({ where: { monitorId: m.id } });
    expect(beat).toMatchObject({ ok: true, latencyMs: 1234, detail: "beat received" });

    // Nothing is missed before the deadline.
    expect(await recordMissedBeats(db(), new Date(now.getTime() + 89_000))).toBe(0);
    const late = new Date(now.getTime() + 91_000);
    expect(await recordMissedBeats(db(), late)).toBe(1);
    // Swept again at once: the deadline moved on, no second result.
    expect(await recordMissedBeats(db(), late)).toBe(0);
    const down = await state(m.id);
    expect(down.status).toBe("down");
    expect(down.nextRunAt.getTime()).toBe(now.getTime() + 150_000);
    const incident = await db().incident.findFirstOrThrow({ where: { monitorId: m.id } });
    expect(incident.cause).toBe(`no beat since ${now.toISOString()} (due by ${new Date(now.getTime() + 90_000).toISOString()})`);
    expect(incident.endedAt).toBeNull();
    const alerts = await db().notificationDelivery.findMany({ where: { event: "monitor.down" } });
    expect(alerts).toHaveLength(1);
    expect(JSON.stringify(alerts[0]!.payload)).toContain("push: every 60 s + 30 s grace");

    const back = new Date(now.getTime() + 100_000);
    expect((await receiveBeat(db(), m.token, report(), back)).status).toBe("up");
    expect((await db().incident.findFirstOrThrow({ where: { id: incident.id } })).endedAt).toEqual(back);
    expect(await db().notificationDelivery.count({ where: { event: "monitor.up" } })).toBe(1);
  });

  it("a beat reporting failure makes it down with the job's message", async () => {
    const m = await heartbeat();
    expect((await receiveBeat(db(), m.token, report({ status: "down", msg: "backup failed: disk full", ping: 50 }))).status).toBe("down");
    const incident = await db().incident.findFirstOrThrow({ where: { monitorId: m.id } });
    expect(incident.cause).toBe("backup failed: disk full");
  });

  it("a cron schedule: the deadline is the next time in its zone + grace", async () => {
    const m = await heartbeat({ cron: "0 3 * * *", timeZone: "Europe/Berlin", graceSeconds: 600 });
    const at = new Date("2026-12-03T12:00:00Z");
    await receiveBeat(db(), m.token, report(), at);
    expect((await state(m.id)).nextRunAt.toISOString()).toBe("2026-12-04T02:10:00.000Z");
    const bad = monitorInputSchema.safeParse({ name: "x", type: "heartbeat", cron: "nightly" });
    expect(bad.error!.issues[0]!.path).toEqual(["cron"]);
    // Its deadline is a fixed date: once the clock passes it, a later sweep in this file would count it.
    await db().monitor.delete({ where: { id: m.id } });
  });

  it("an unknown, malformed or non-heartbeat token is not found; a bad report is refused", async () => {
    await expect(receiveBeat(db(), "dhb_" + "x".repeat(32), report())).rejects.toMatchObject({ status: 404 });
    await expect(receiveBeat(db(), "../etc", report())).rejects.toMatchObject({ status: 404 });
    expect(beatReportSchema.safeParse({ status: "sideways" }).error!.issues[0]!.message).toBe('must be "up" or "down"');
    expect(beatReportSchema.safeParse({ ping: "fast" }).error!.issues[0]!.message).toBe("must be a number of milliseconds");
  });

  it("paused monitors are not swept", async () => {
    const m = await heartbeat();
    const due = new Date(Date.now() - 5_000);
    await db().monitor.update({ where: { id: m.id }, data: { status: "paused", nextRunAt: due } });
    await recordMissedBeats(db());
    // Whatever else in the database was due, this one is untouched: no result, its deadline where it was.
    expect((await state(m.id)).nextRunAt.toISOString()).toBe(due.toISOString());
    expect(await db().checkResult.count({ where: { monitorId: m.id } })).toBe(0);
  });
});
