import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { encryptSecret } from "../crypto/secretbox";
import { stopJobSender } from "../jobs/queues";
import { countWindow } from "../queries/series";
import { createMaintenance, deleteMaintenance, listMaintenance, maintenanceBands, maintenanceInputSchema, monitorsInMaintenance, upcomingMaintenanceFor } from "./maintenance";
import { nextOccurrence, occurrenceAt, occurrencesBetween } from "./maintenance-schedule";
import { recordCheckResults, type CheckRecord } from "./results";
import { rollUpResults } from "./rollups";

const T0 = new Date("2026-03-01T12:00:00.000Z");
const min = (m: number) => new Date(T0.getTime() + m * 60_000);
const check = (monitorId: string, m: number, ok: boolean): CheckRecord => ({ monitorId, at: min(m), ok, latencyMs: ok ? 20 : null, detail: ok ? "HTTP 200" : "HTTP 503 (expected 200-399)" });

async function monitor(name: string, appId?: string) {
  return db().monitor.create({ data: { name, type: "http", url: "http://127.0.0.1:9/health", retries: 0, appId } });
}
const parse = (v: unknown) => maintenanceInputSchema.parse(v);

afterAll(() => stopJobSender());
beforeEach(async () => {
  await db().maintenanceWindow.deleteMany();
  await db().notificationDelivery.deleteMany();
  await db().notificationChannel.deleteMany();
  await db().monitor.deleteMany();
  await db().setting.deleteMany({ where: { key: "health.rollup" } });
  await db().notificationChannel.create({ data: { name: "hook", type: "webhook", encryptedUrl: encryptSecret("http://127.0.0.1:9/hook") } });
});

describe("a one-off window", () => {
  it("records checks but changes no status, opens no incident and sends no alert; after it closes a failure alerts", async () => {
    const m = await monitor("api");
    await createMaintenance(db(), parse({ name: "db upgrade", startsAt: min(10).toISOString(), endsAt: min(40).toISOString(), monitorIds: [m.id] }), "admin@example.com");
    for (let i = 0; i < 10; i++) await recordCheckResults(db(), [check(m.id, i, true)]);
    for (let i = 10; i < 40; i++) await recordCheckResults(db(), [check(m.id, i, false)]);
    expect(await db().monitor.findUniqueOrThrow({ where: { id: m.id }, select: { status: true, consecutiveFailures: true } })).toEqual({ status: "up", consecutiveFailures: 0 });
    expect(await db().incident.count()).toBe(0);
    expect(await db().notificationDelivery.count()).toBe(0);
    expect(await db().checkResult.count({ where: { monitorId: m.id, inMaintenance: true } })).toBe(30);
    expect(await monitorsInMaintenance(db(), [{ id: m.id, appId: null }], min(20))).toEqual(new Set([m.id]));
    expect(await monitorsInMaintenance(db(), [{ id: m.id, appId: null }], min(40))).toEqual(new Set());

    const changes = await recordCheckResults(db(), [check(m.id, 40, false)]);
    expect(changes.map((c) => c.to)).toEqual(["down"]);
    expect(await db().notificationDelivery.count({ where: { event: "monitor.down" } })).toBe(1);
    // The incident starts at the first failure outside the window, not inside it.
    expect((await db().incident.findFirstOrThrow({ where: { monitorId: m.id } })).startedAt).toEqual(min(40));
  });

  it("uptime leaves the window out, from raw results and from rollups alike", async () => {
    const m = await monitor("api");
    const other = await monitor("other");
    await createMaintenance(db(), parse({ name: "patching", startsAt: min(30).toISOString(), endsAt: min(60).toISOString(), monitorIds: [m.id] }), "admin@example.com");
    // 60 one-minute checks each: ok for 30, then failing for 30 (inside the window for `m` only).
    const records = Array.from({ length: 60 }, (_, i) => [check(m.id, i, i < 30), check(other.id, i, i < 30)]).flat();
    await recordCheckResults(db(), records);
    const range = { from: min(0), to: min(60) };
    const raw = await countWindow(db(), range, [m.id, other.id], null);
    expect(raw.get(m.id)).toEqual({ checks: 30, failures: 0 });
    expect(raw.get(other.id)).toEqual({ checks: 60, failures: 30 });

    await rollUpResults(db(), { now: min(24 * 60) });
    const rolled = await countWindow(db(), range, [m.id, other.id]);
    expect(rolled.get(m.id)).toEqual({ checks: 30, failures: 0 });
    expect(rolled.get(other.id)).toEqual({ checks: 60, failures: 30 });
  });

  it("covers an app's monitors, or every monitor", async () => {
    const app = await db().app.create({ data: { name: "shop", repoUrl: "https://example.com/shop.git", deployPath: "/srv/shop" } });
    const a = await monitor("shop http", app.id);
    const b = await monitor("lonely");
    await createMaintenance(db(), parse({ name: "shop", startsAt: min(0).toISOString(), endsAt: min(10).toISOString(), appIds: [app.id] }), "admin");
    const ms = [
      { id: a.id, appId: app.id },
      { id: b.id, appId: null },
    ];
    expect(await monitorsInMaintenance(db(), ms, min(5))).toEqual(new Set([a.id]));
    await createMaintenance(db(), parse({ name: "everything", startsAt: min(20).toISOString(), endsAt: min(30).toISOString(), all: true }), "admin");
    expect(await monitorsInMaintenance(db(), ms, min(25))).toEqual(new Set([a.id, b.id]));
    expect(await maintenanceBands(db(), { id: b.id, appId: null }, min(0), min(60))).toEqual([{ start: min(20), end: min(30) }]);
    expect((await maintenanceBands(db(), { id: a.id, appId: app.id }, min(0), min(60))).length).toBe(2);
    const upcoming = await upcomingMaintenanceFor([b.id], { now: min(0) });
    expect(upcoming).toEqual([{ id: expect.any(String), name: "everything", startsAt: min(20).toISOString(), endsAt: min(30).toISOString(), monitorIds: [b.id], active: false }]);
    const [first] = await listMaintenance(db(), min(5));
    expect(first).toMatchObject({ name: "shop", active: true });
    await deleteMaintenance(db(), first!.id);
    expect(await monitorsInMaintenance(db(), ms, min(5))).toEqual(new Set());
  });
});

describe("input", () => {
  it("names the field that is wrong", () => {
    const err = (v: unknown) => maintenanceInputSchema.safeParse(v).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(err({ name: "x", startsAt: "2026-03-01T10:00:00Z", all: true })).toEqual(["endsAt: a one-off window needs both startsAt and endsAt"]);
    expect(err({ name: "x", startsAt: "2026-03-01T10:00:00Z", endsAt: "2026-03-01T09:00:00Z", all: true })).toEqual(["endsAt: endsAt must be after startsAt"]);
    expect(err({ name: "x", cron: "0 3 * * 0", durationMinutes: 30, timeZone: "Mars/Olympus", all: true })).toEqual(['timeZone: timeZone: "Mars/Olympus" is not an IANA time zone']);
    expect(err({ name: "x", cron: "not a cron", durationMinutes: 30, timeZone: "UTC", all: true })?.[0]).toMatch(/^cron: cron is not valid/);
    expect(err({ name: "x", cron: "0 3 * * 0", durationMinutes: 30, timeZone: "UTC" })).toEqual(["monitorIds: choose what the window covers: monitorIds, appIds, or all: true"]);
    expect(err({ name: "x", cron: "0 3 * * 0", durationMinutes: 30, timeZone: "UTC", all: true, monitorIds: ["m"] })).toEqual(["all: all: true covers every monitor: leave out monitorIds and appIds"]);
    expect(err({ name: "x", cron: "0 3 * * 0", durationMinutes: 30, timeZone: "UTC", all: true })).toBeUndefined();
  });
});

describe("a recurring window", () => {
  // Sundays 03:00 in Berlin for an hour. Berlin moves from CET (UTC+1) to CEST (UTC+2) on 2026-03-29 at 02:00,
  // and back on 2026-10-25 at 03:00.
  const weekly = { startsAt: null, endsAt: null, cron: "0 3 * * 0", durationMinutes: 60, timeZone: "Europe/Berlin" };

  it("keeps its local time across DST: the next occurrence in the time zone", () => {
    expect(nextOccurrence(weekly, new Date("2026-03-23T00:00:00Z"))).toEqual({ start: new Date("2026-03-29T01:00:00Z"), end: new Date("2026-03-29T02:00:00Z") });
    expect(nextOccurrence(weekly, new Date("2026-03-20T00:00:00Z"))).toEqual({ start: new Date("2026-03-22T02:00:00Z"), end: new Date("2026-03-22T03:00:00Z") });
    expect(occurrencesBetween(weekly, new Date("2026-03-20T00:00:00Z"), new Date("2026-04-06T00:00:00Z")).map((o) => o.start.toISOString())).toEqual(["2026-03-22T02:00:00.000Z", "2026-03-29T01:00:00.000Z", "2026-04-05T01:00:00.000Z"]);
    // Back to CET in October: 03:00 local is 02:00 UTC again.
    expect(nextOccurrence(weekly, new Date("2026-10-24T00:00:00Z"))?.start).toEqual(new Date("2026-10-25T02:00:00Z"));
  });

  it("is open from each run for its duration, half-open", () => {
    expect(occurrenceAt(weekly, new Date("2026-03-29T00:59:59Z"))).toBeNull();
    expect(occurrenceAt(weekly, new Date("2026-03-29T01:00:00Z"))?.start).toEqual(new Date("2026-03-29T01:00:00Z"));
    expect(occurrenceAt(weekly, new Date("2026-03-29T01:59:59Z"))).not.toBeNull();
    expect(occurrenceAt(weekly, new Date("2026-03-29T02:00:00Z"))).toBeNull();
    // While open, the next occurrence is the open one.
    expect(nextOccurrence(weekly, new Date("2026-03-29T01:30:00Z"))?.start).toEqual(new Date("2026-03-29T01:00:00Z"));
  });

  it("stamps the checks it covers in the database", async () => {
    const m = await monitor("nightly");
    await createMaintenance(db(), parse({ name: "nightly", cron: "0 12 * * *", durationMinutes: 15, timeZone: "UTC", monitorIds: [m.id] }), "admin");
    await recordCheckResults(db(), [check(m.id, -1, false), check(m.id, 0, false), check(m.id, 14, false), check(m.id, 15, true)]);
    const rows = await db().checkResult.findMany({ where: { monitorId: m.id }, orderBy: { at: "asc" }, select: { inMaintenance: true } });
    expect(rows.map((r) => r.inMaintenance)).toEqual([false, true, true, false]);
  });
});

describe("an RRULE window", () => {
  it("takes an RFC 5545 RRULE instead of cron, keeps Berlin time across DST, and stamps the checks it covers", async () => {
    const m = await monitor("rrule");
    const made = await createMaintenance(db(), parse({ name: "sunday", rrule: "RRULE:FREQ=WEEKLY;BYDAY=SU;BYHOUR=3", durationMinutes: 60, timeZone: "Europe/Berlin", monitorIds: [m.id] }), "admin");
    expect(made).toMatchObject({ kind: "recurring", rrule: "FREQ=WEEKLY;BYDAY=SU;BYHOUR=3", cron: null, durationMinutes: 60, timeZone: "Europe/Berlin" });
    // The rule counts from its creation day: move that back so the March checks below are after it.
    await db().maintenanceWindow.update({ where: { id: made.id }, data: { createdAt: new Date("2026-02-01T00:00:00Z") } });
    const [w] = await listMaintenance(db(), new Date("2026-03-23T00:00:00Z"));
    expect(w!.next).toEqual({ startsAt: "2026-03-29T01:00:00.000Z", endsAt: "2026-03-29T02:00:00.000Z" });
    const at = (iso: string, ok: boolean): CheckRecord => ({ monitorId: m.id, at: new Date(iso), ok, latencyMs: ok ? 20 : null, detail: "x" });
    await recordCheckResults(db(), [at("2026-03-29T00:59:00Z", true), at("2026-03-29T01:00:00Z", false), at("2026-03-29T01:59:00Z", false), at("2026-03-29T02:00:00Z", true)]);
    const rows = await db().checkResult.findMany({ where: { monitorId: m.id }, orderBy: { at: "asc" }, select: { inMaintenance: true } });
    expect(rows.map((r) => r.inMaintenance)).toEqual([false, true, true, false]);
    expect((await maintenanceBands(db(), { id: m.id, appId: null }, new Date("2026-10-24T00:00:00Z"), new Date("2026-10-26T00:00:00Z"))).map((b) => b.start.toISOString())).toEqual(["2026-10-25T02:00:00.000Z"]);
  });

  it("names the field when the RRULE is wrong or given with cron", () => {
    const err = (v: unknown) => maintenanceInputSchema.safeParse(v).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    const base = { name: "x", durationMinutes: 30, timeZone: "UTC", all: true };
    expect(err({ ...base, rrule: "FREQ=WEEKLY;BYDAY=XX" })).toEqual(['rrule: rrule is not a valid RRULE: BYDAY "XX" must be days such as MO,TU or 1SU']);
    expect(err({ ...base, rrule: "BYHOUR=2" })).toEqual(["rrule: rrule is not a valid RRULE: FREQ is required (DAILY, WEEKLY, MONTHLY or YEARLY)"]);
    expect(err({ ...base, rrule: "FREQ=DAILY;UNTIL=20200101T000000Z" })).toEqual(["rrule: rrule is not a valid RRULE: the rule never opens again"]);
    expect(err({ ...base, rrule: "FREQ=DAILY", cron: "0 3 * * *" })).toEqual(["rrule: give cron or rrule, not both"]);
    expect(err({ name: "x", rrule: "FREQ=DAILY", all: true })).toEqual(["durationMinutes: a recurring window needs durationMinutes", 'timeZone: a recurring window needs timeZone (an IANA name such as "Europe/Berlin" or "UTC")']);
    expect(err({ ...base, rrule: "FREQ=DAILY;BYHOUR=2" })).toBeUndefined();
  });
});
