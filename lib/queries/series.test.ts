import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { pruneHealthHistory, rollUpResults, ROLLUP_SETTING_KEY } from "../health/rollups";
import { generateResults, percentileCont } from "../health/testing/synthetic";
import { DAY_MS, floorTo, HOUR_MS, MINUTE_MS } from "../health/time";
import { countWindow, loadSeries, planWindow, uptimePercent } from "./series";

const iso = (s: string) => new Date(s);

describe("planWindow", () => {
  it("uses raw results only when nothing is rolled up", () => {
    expect(planWindow(iso("2026-03-01T10:00:00Z"), iso("2026-03-01T11:00:00Z"), null)).toEqual([{ source: "raw", from: iso("2026-03-01T10:00:00Z"), to: iso("2026-03-01T11:00:00Z") }]);
  });

  it("splits a long window into raw edge, minutes, hours, days, hours, minutes and the raw tail", () => {
    const plan = planWindow(iso("2026-01-01T10:20:30Z"), iso("2026-03-01T15:45:10Z"), iso("2026-03-01T15:42:00Z"));
    expect(plan.map((s) => [s.source, s.from.toISOString(), s.to.toISOString()])).toEqual([
      ["raw", "2026-01-01T10:20:30.000Z", "2026-01-01T10:21:00.000Z"],
      ["minute", "2026-01-01T10:21:00.000Z", "2026-01-01T11:00:00.000Z"],
      ["hour", "2026-01-01T11:00:00.000Z", "2026-01-02T00:00:00.000Z"],
      ["day", "2026-01-02T00:00:00.000Z", "2026-03-01T00:00:00.000Z"],
      ["hour", "2026-03-01T00:00:00.000Z", "2026-03-01T15:00:00.000Z"],
      ["minute", "2026-03-01T15:00:00.000Z", "2026-03-01T15:42:00.000Z"],
      ["raw", "2026-03-01T15:42:00.000Z", "2026-03-01T15:45:10.000Z"],
    ]);
  });

  it("ends on raw results when a historical window ends mid-minute", () => {
    const plan = planWindow(iso("2026-03-01T10:00:00Z"), iso("2026-03-01T10:02:30Z"), iso("2026-03-01T12:00:00Z"));
    expect(plan.map((s) => s.source)).toEqual(["minute", "raw"]);
    expect(plan[1]).toEqual({ source: "raw", from: iso("2026-03-01T10:02:00Z"), to: iso("2026-03-01T10:02:30Z") });
  });

  it("reads a few hundred rollup rows for 90 days, not one per check", () => {
    const now = iso("2026-06-01T13:37:42Z");
    const plan = planWindow(new Date(now.getTime() - 90 * DAY_MS), now, iso("2026-06-01T13:34:00Z"));
    const rows = plan.reduce((n, s) => n + (s.source === "raw" ? 0 : (s.to.getTime() - s.from.getTime()) / { minute: MINUTE_MS, hour: HOUR_MS, day: DAY_MS }[s.source]), 0);
    expect(rows).toBeLessThan(300);
  });
});

describe("uptime maths against real rows", () => {
  let a = "";
  let b = "";
  beforeEach(async () => {
    await db().monitor.deleteMany();
    await db().setting.deleteMany({ where: { key: ROLLUP_SETTING_KEY } });
    a = (await db().monitor.create({ data: { name: "a", type: "tcp", host: "127.0.0.1", port: 1 } })).id;
    b = (await db().monitor.create({ data: { name: "b", type: "tcp", host: "127.0.0.1", port: 1 } })).id;
  });

  async function bruteForce(monitorId: string, from: Date, to: Date) {
    const checks = await db().checkResult.count({ where: { monitorId, at: { gte: from, lt: to } } });
    const failures = await db().checkResult.count({ where: { monitorId, at: { gte: from, lt: to }, ok: false } });
    return { checks, failures };
  }

  it("counts exactly the checks in [start, end): a check at the start counts, one at the end does not", async () => {
    const now = iso("2026-03-02T12:00:00.000Z");
    const start = new Date(now.getTime() - DAY_MS);
    await db().checkResult.createMany({
      data: [
        { monitorId: a, at: new Date(start.getTime() - 1), ok: false },
        { monitorId: a, at: start, ok: false },
        { monitorId: a, at: new Date(start.getTime() + 30_000), ok: true },
        { monitorId: a, at: new Date(now.getTime() - 1), ok: true },
        { monitorId: a, at: now, ok: false },
      ],
    });
    await rollUpResults(db(), { now });
    const counts = await countWindow(db(), { from: start, to: now }, [a]);
    expect(counts.get(a)).toEqual({ checks: 3, failures: 1 });
    expect(uptimePercent(counts.get(a))).toBe(66.667);
    expect(uptimePercent(undefined)).toBeNull();
  });

  it("agrees with a brute-force count for windows of every shape across rolled and unrolled time", async () => {
    const from = iso("2026-03-01T00:00:00Z");
    const end = iso("2026-03-04T06:00:00Z");
    await generateResults(db(), { monitorIds: [a, b], from, to: end, stepSeconds: 37, failureEvery: 7 });
    await rollUpResults(db(), { now: iso("2026-03-03T17:23:45Z") });
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 25; i++) {
      const x = from.getTime() + rand() * (end.getTime() - from.getTime());
      const y = from.getTime() + rand() * (end.getTime() - from.getTime());
      const [lo, hi] = [new Date(Math.min(x, y)), new Date(Math.max(x, y))];
      const counts = await countWindow(db(), { from: lo, to: hi }, [a, b]);
      for (const id of [a, b]) expect(counts.get(id) ?? { checks: 0, failures: 0 }).toEqual(await bruteForce(id, lo, hi));
    }
    // Whole-boundary windows too: the classic 24 h / 7 d edges.
    const now = iso("2026-03-04T06:00:00Z");
    for (const span of [HOUR_MS, DAY_MS, 3 * DAY_MS]) {
      const lo = new Date(now.getTime() - span);
      expect((await countWindow(db(), { from: lo, to: now }, [a])).get(a)).toEqual(await bruteForce(a, lo, now));
    }
  });

  it("keeps counting from rollups once raw results are pruned; the pruned partial first minute is what is lost", async () => {
    const from = iso("2026-01-01T00:00:00Z");
    const now = iso("2026-02-20T00:00:00Z");
    // Every 10.5 min: every other check lands mid-minute.
    await generateResults(db(), { monitorIds: [a], from, to: now, stepSeconds: 630 });
    await rollUpResults(db(), { now });
    const midMinuteCheck = new Date(from.getTime() + 567 * 630_000);
    expect(midMinuteCheck.getUTCSeconds()).toBe(30);
    const windowStart = new Date(midMinuteCheck.getTime() - 20_000);
    const before = await bruteForce(a, windowStart, now);
    const sinceNextMinute = await bruteForce(a, new Date(midMinuteCheck.getTime() + 30_000), now);
    await pruneHealthHistory(db(), { now, rawDays: 14, rollupDays: { minute: 400, hour: 400, day: 400 } });
    expect(await db().checkResult.count({ where: { at: { lt: iso("2026-02-06T00:00:00Z") } } })).toBe(0);
    expect((await countWindow(db(), { from: windowStart, to: now }, [a])).get(a)).toEqual(sinceNextMinute);
    expect(before.checks - sinceNextMinute.checks).toBe(1);
  });
});

describe("series", () => {
  it("returns rolled buckets and computes the unrolled tail from raw the same way", async () => {
    await db().monitor.deleteMany();
    await db().setting.deleteMany({ where: { key: ROLLUP_SETTING_KEY } });
    const m = (await db().monitor.create({ data: { name: "s", type: "tcp", host: "127.0.0.1", port: 1 } })).id;
    const from = iso("2026-03-01T00:00:00Z");
    const to = iso("2026-03-01T06:00:00Z");
    await generateResults(db(), { monitorIds: [m], from, to, stepSeconds: 20 });
    await rollUpResults(db(), { now: iso("2026-03-01T04:30:00Z") });
    const points = await loadSeries(db(), m, { from: iso("2026-03-01T00:30:00Z"), to, bucket: "hour" });
    expect(points.map((p) => p.t)).toEqual([0, 1, 2, 3, 4, 5].map((h) => Date.parse(`2026-03-01T0${h}:00:00.000Z`)));
    const raw = await db().checkResult.findMany({ where: { monitorId: m } });
    for (const p of points) {
      const inBucket = raw.filter((r) => floorTo(r.at, "hour").getTime() === p.t);
      const oks = inBucket.filter((r) => r.ok).map((r) => r.latencyMs!);
      expect(p.checks).toBe(inBucket.length);
      expect(p.failures).toBe(inBucket.length - oks.length);
      expect(p.p95).toBeCloseTo(percentileCont(oks, 0.95)!, 6);
      expect(p.p50).toBeCloseTo(percentileCont(oks, 0.5)!, 6);
    }
    const rolled = await db().checkRollup.count({ where: { monitorId: m, bucket: "hour" } });
    expect(rolled).toBe(4);
  });
});
