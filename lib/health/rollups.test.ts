import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { getRolledThrough, pruneHealthHistory, rollUpResults, ROLLUP_LAG_MS, ROLLUP_SETTING_KEY } from "./rollups";
import { generateResults, percentileCont } from "./testing/synthetic";
import { DAY_MS, floorTo, HOUR_MS, type BucketUnit } from "./time";

let monitorIds: string[] = [];

beforeEach(async () => {
  await db().monitor.deleteMany();
  await db().setting.deleteMany({ where: { key: ROLLUP_SETTING_KEY } });
  monitorIds = [];
  for (const name of ["a", "b"]) monitorIds.push((await db().monitor.create({ data: { name, type: "tcp", host: "127.0.0.1", port: 1 } })).id);
});

interface Expected {
  checks: number;
  failures: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** Recomputes every bucket from the raw rows in JavaScript, independently of the SQL under test. */
async function expectedBuckets(unit: BucketUnit, before: Date): Promise<Map<string, Expected>> {
  const raw = await db().checkResult.findMany({ where: { at: { lt: before } }, select: { monitorId: true, at: true, ok: true, latencyMs: true } });
  const groups = new Map<string, { checks: number; failures: number; latencies: number[] }>();
  for (const r of raw) {
    const key = `${r.monitorId}|${floorTo(r.at, unit).toISOString()}`;
    const g = groups.get(key) ?? { checks: 0, failures: 0, latencies: [] };
    g.checks++;
    if (!r.ok) g.failures++;
    else if (r.latencyMs !== null) g.latencies.push(r.latencyMs);
    groups.set(key, g);
  }
  const out = new Map<string, Expected>();
  for (const [k, g] of groups) out.set(k, { checks: g.checks, failures: g.failures, p50: percentileCont(g.latencies, 0.5), p95: percentileCont(g.latencies, 0.95), p99: percentileCont(g.latencies, 0.99) });
  return out;
}

async function actualBuckets(unit: BucketUnit): Promise<Map<string, Expected>> {
  const rows = await db().checkRollup.findMany({ where: { bucket: unit } });
  return new Map(rows.map((r) => [`${r.monitorId}|${r.bucketStart.toISOString()}`, { checks: r.checks, failures: r.failures, p50: r.p50, p95: r.p95, p99: r.p99 }]));
}

function expectSame(actual: Map<string, Expected>, expected: Map<string, Expected>) {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [k, e] of expected) {
    const a = actual.get(k)!;
    expect({ k, checks: a.checks, failures: a.failures }).toEqual({ k, checks: e.checks, failures: e.failures });
    for (const p of ["p50", "p95", "p99"] as const) {
      if (e[p] === null) expect(a[p]).toBeNull();
      else expect(a[p]).toBeCloseTo(e[p]!, 6);
    }
  }
}

describe("rollups are exactly what the raw data says", () => {
  it("minute, hour and day buckets match a recomputation from raw results, up to the watermark", async () => {
    const from = new Date("2026-03-01T22:30:00.000Z");
    const to = new Date("2026-03-02T01:30:00.000Z");
    await generateResults(db(), { monitorIds, from, to, stepSeconds: 7 });
    const now = new Date("2026-03-02T01:40:30.000Z");
    const progress = await rollUpResults(db(), { now });
    const through = new Date(floorTo(new Date(now.getTime() - ROLLUP_LAG_MS), "minute"));
    expect(progress.through).toEqual(through);
    expect(await getRolledThrough(db())).toEqual(through);

    expectSame(await actualBuckets("minute"), await expectedBuckets("minute", through));
    // Hours and days only once they are complete: 22:00, 23:00, 00:00 yes; 01:00 not yet.
    expectSame(await actualBuckets("hour"), await expectedBuckets("hour", floorTo(through, "hour")));
    expect([...(await actualBuckets("hour")).keys()].filter((k) => k.startsWith(monitorIds[0]!)).map((k) => k.split("|")[1])).toEqual(["2026-03-01T22:00:00.000Z", "2026-03-01T23:00:00.000Z", "2026-03-02T00:00:00.000Z"]);
    expectSame(await actualBuckets("day"), await expectedBuckets("day", floorTo(through, "day")));
    expect((await actualBuckets("day")).size).toBe(2);

    // Later, the rest follows; nothing is counted twice.
    await rollUpResults(db(), { now: new Date("2026-03-03T00:10:00.000Z") });
    expectSame(await actualBuckets("minute"), await expectedBuckets("minute", to));
    expectSame(await actualBuckets("hour"), await expectedBuckets("hour", to));
    expectSame(await actualBuckets("day"), await expectedBuckets("day", to));
  });

  it("is idempotent: recomputing from scratch gives the same rows", async () => {
    await generateResults(db(), { monitorIds, from: new Date("2026-03-01T10:00:00Z"), to: new Date("2026-03-01T12:00:00Z"), stepSeconds: 13 });
    const now = new Date("2026-03-01T13:00:00Z");
    await rollUpResults(db(), { now });
    const first = [...(await actualBuckets("minute")).entries(), ...(await actualBuckets("hour")).entries()];
    await db().setting.deleteMany({ where: { key: ROLLUP_SETTING_KEY } });
    await rollUpResults(db(), { now });
    await rollUpResults(db(), { now });
    const second = [...(await actualBuckets("minute")).entries(), ...(await actualBuckets("hour")).entries()];
    expect(second).toEqual(first);
  });

  it("catches up after downtime in bounded chunks", async () => {
    const from = new Date("2026-03-01T00:00:00Z");
    await generateResults(db(), { monitorIds, from, to: new Date(from.getTime() + 2 * DAY_MS), stepSeconds: 300 });
    const progress = await rollUpResults(db(), { now: new Date(from.getTime() + 2 * DAY_MS + HOUR_MS) });
    expect(progress.chunks).toBeGreaterThanOrEqual(8);
    expectSame(await actualBuckets("day"), await expectedBuckets("day", new Date(from.getTime() + 2 * DAY_MS)));
  });

  it("a failed check has no latency in the percentiles; a bucket of only failures has none", async () => {
    const m = monitorIds[0]!;
    const t = new Date("2026-03-01T10:00:00Z");
    await db().checkResult.createMany({
      data: [
        { monitorId: m, at: new Date(t.getTime() + 1_000), ok: true, latencyMs: 10 },
        { monitorId: m, at: new Date(t.getTime() + 2_000), ok: true, latencyMs: 30 },
        { monitorId: m, at: new Date(t.getTime() + 3_000), ok: false, latencyMs: 5_000 },
        { monitorId: m, at: new Date(t.getTime() + 61_000), ok: false, latencyMs: 5_000 },
      ],
    });
    await rollUpResults(db(), { now: new Date(t.getTime() + HOUR_MS) });
    const rows = await db().checkRollup.findMany({ where: { monitorId: m, bucket: "minute" }, orderBy: { bucketStart: "asc" } });
    expect(rows.map((r) => [r.checks, r.failures, r.p50, r.p95])).toEqual([
      [3, 1, 20, 29],
      [1, 1, null, null],
    ]);
  });
});

describe("retention", () => {
  it("drops raw results after the raw window and rollups after theirs, never unrolled raw", async () => {
    const start = new Date("2026-01-01T00:00:00Z");
    await generateResults(db(), { monitorIds, from: start, to: new Date(start.getTime() + 20 * DAY_MS), stepSeconds: 3_600 });
    // Rolled up only through day 10.
    await rollUpResults(db(), { now: new Date(start.getTime() + 10 * DAY_MS + ROLLUP_LAG_MS) });
    const now = new Date(start.getTime() + 20 * DAY_MS);
    const pruned = await pruneHealthHistory(db(), { now, rawDays: 7, rollupDays: { minute: 15, hour: 18, day: 400 }, batchSize: 50 });
    const oldestRaw = await db().checkResult.findFirstOrThrow({ orderBy: { at: "asc" } });
    // Raw retention alone would cut at day 13; the watermark (day 10) wins.
    expect(oldestRaw.at).toEqual(new Date(start.getTime() + 10 * DAY_MS));
    expect(pruned.results).toBe(2 * 10 * 24);
    const oldest = async (bucket: BucketUnit) => (await db().checkRollup.findFirstOrThrow({ where: { bucket }, orderBy: { bucketStart: "asc" } })).bucketStart;
    expect(await oldest("minute")).toEqual(new Date(start.getTime() + 5 * DAY_MS));
    expect(await oldest("hour")).toEqual(new Date(start.getTime() + 2 * DAY_MS));
    expect(await oldest("day")).toEqual(start);
  });
});
