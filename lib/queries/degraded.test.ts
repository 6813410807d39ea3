import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { recordCheckResults, type CheckRecord } from "../health/results";
import { loadDegradedRuns } from "./degraded";

const T0 = Date.parse("2026-03-01T12:00:00.000Z");
const at = (m: number) => new Date(T0 + m * 60_000);

beforeEach(async () => {
  await db().monitor.deleteMany();
});

describe("loadDegradedRuns", () => {
  it("groups consecutive degraded checks into runs that end at the next check that was not degraded, an ongoing one at the range's end", async () => {
    const m = await db().monitor.create({ data: { name: "slow", type: "http", url: "http://127.0.0.1:9/h", retries: 0 } });
    // minute: 0 up, 1-3 degraded, 4 up, 5 degraded, 6 down, 7 up, 8-9 degraded (ongoing)
    const kinds = ["up", "slow", "slow", "slow", "up", "slow", "down", "up", "slow", "slow"] as const;
    for (const [i, k] of kinds.entries()) {
      const r: CheckRecord = { monitorId: m.id, at: at(i), ok: k !== "down", latencyMs: k === "down" ? null : k === "slow" ? 900 : 20, detail: "HTTP 200", degraded: k === "slow" };
      await recordCheckResults(db(), [r]);
    }
    const runs = await loadDegradedRuns(db(), m.id, { from: at(0), to: at(20) });
    expect(runs).toEqual([
      { start: at(1).getTime(), end: at(4).getTime(), checks: 3 },
      { start: at(5).getTime(), end: at(6).getTime(), checks: 1 },
      { start: at(8).getTime(), end: at(20).getTime(), checks: 2 },
    ]);
    expect(await loadDegradedRuns(db(), m.id, { from: at(2), to: at(3) })).toEqual([{ start: at(2).getTime(), end: at(3).getTime(), checks: 1 }]);
    // Only the stretch from the first degraded check to the one after the last is read; the answer is the same.
    expect(await loadDegradedRuns(db(), m.id, { from: at(4), to: at(8) })).toEqual([{ start: at(5).getTime(), end: at(6).getTime(), checks: 1 }]);
    expect(await loadDegradedRuns(db(), m.id, { from: at(6), to: at(8) })).toEqual([]);
  });
});
