import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { DEFAULT_PARTITION, dropResultsBefore, ensureResultPartitions, listResultPartitions } from "./partitions";
import { recordCheckResults, type CheckRecord } from "./results";
import { DAY_MS, floorTo } from "./time";

const today = floorTo(new Date(), "day");
const day = (n: number) => new Date(today.getTime() + n * DAY_MS);
const countBetween = async (from: Date, to: Date) => (await db().checkResult.count({ where: { at: { gte: from, lt: to } } })) as number;

let monitorIds: string[] = [];

beforeEach(async () => {
  await db().monitor.deleteMany();
  monitorIds = [];
  for (let i = 0; i < 20; i++) monitorIds.push((await db().monitor.create({ data: { name: `p${i}`, type: "http", url: `https://example.invalid/${i}` } })).id);
});

/** 20 monitors × every 5 minutes over [from, to), written in SQL straight into the partitions. */
async function fill(from: Date, to: Date): Promise<number> {
  return db().$executeRaw`
    INSERT INTO "CheckResultData" ("at", "monitorSeq", "latencyMs", "flags")
    SELECT g.at, m.seq, 20 + (extract(epoch FROM g.at)::int % 80), 1
    FROM "Monitor" m CROSS JOIN generate_series(${from.toISOString()}::timestamp, ${to.toISOString()}::timestamp - interval '1 ms', interval '5 minutes') AS g(at)`;
}

describe("daily partitions of check results", () => {
  it("creates days ahead, keeps a day's rows in its partition, and moves rows out of the default partition when their day is created", async () => {
    await ensureResultPartitions(db());
    const days = (await listResultPartitions(db())).map((p) => p.day.getTime());
    for (let n = -1; n <= 3; n++) expect(days).toContain(day(n).getTime());
    // A result far in the past lands in the default partition; creating its day moves it there.
    const old = day(-40);
    await fill(old, new Date(old.getTime() + 3_600_000));
    const inDefault = await db().$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${DEFAULT_PARTITION}"`);
    expect(Number(inDefault[0]!.n)).toBe(20 * 12);
    await db().$queryRaw`SELECT deckhand_ensure_result_partitions(${old.toISOString().slice(0, 10)}::date, ${day(-39).toISOString().slice(0, 10)}::date)`;
    const after = await db().$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${DEFAULT_PARTITION}"`);
    expect(Number(after[0]!.n)).toBe(0);
    expect(await countBetween(old, day(-39))).toBe(20 * 12);
  });

  it("drops old days whole while a stream of result writes goes on: no write waits long, none is lost", async () => {
    await db().$queryRaw`SELECT deckhand_ensure_result_partitions(${day(-6).toISOString().slice(0, 10)}::date, ${day(4).toISOString().slice(0, 10)}::date)`;
    const old = await fill(day(-6), day(-2));
    expect(old).toBe(20 * 288 * 4);
    const kept = await fill(day(-2), day(-1));

    // The stream: a batch of 20 results (one per monitor) every few ms through the real write path.
    let stop = false;
    let written = 0;
    const durations: { start: number; ms: number }[] = [];
    let clock = Date.now() - 60_000;
    const stream = (async () => {
      while (!stop) {
        const batch: CheckRecord[] = monitorIds.map((monitorId) => ({ monitorId, at: new Date(clock), ok: true, latencyMs: 12, detail: "HTTP 200" }));
        clock += 1;
        const t = performance.now();
        await recordCheckResults(db(), batch);
        durations.push({ start: t, ms: performance.now() - t });
        written += batch.length;
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    await new Promise((r) => setTimeout(r, 1_000));
    const dropStart = performance.now();
    const removed = await dropResultsBefore(db(), day(-2), { batchSize: 10_000, deadline: Date.now() + 30_000 });
    const dropMs = performance.now() - dropStart;
    await new Promise((r) => setTimeout(r, 500));
    stop = true;
    await stream;

    expect(await countBetween(day(-6), day(-2))).toBe(0);
    expect(await countBetween(day(-2), day(-1))).toBe(kept);
    expect((await listResultPartitions(db())).every((p) => p.day.getTime() >= day(-2).getTime())).toBe(true);
    expect(removed).toBeGreaterThanOrEqual(0);
    expect(await countBetween(day(-1), day(1))).toBe(written);
    const before = durations.filter((d) => d.start < dropStart).map((d) => d.ms);
    const during = durations.filter((d) => d.start >= dropStart - 50 && d.start <= dropStart + dropMs).map((d) => d.ms);
    const max = (xs: number[]) => Math.max(0, ...xs);
    process.stdout.write(
      `[partitions] dropped 4 day partitions (${old} results) in ${dropMs.toFixed(0)} ms; ${durations.length} write batches, ` +
        `longest before the drop ${max(before).toFixed(1)} ms, during it ${max(during).toFixed(1)} ms (${during.length} batches)\n`,
    );
    // A drop waits at most 20 ms per attempt for its lock; a write never waits on it longer than that plus its own work.
    expect(max(during)).toBeLessThan(max(before) + 150);
  });
});
