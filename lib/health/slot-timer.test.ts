import { describe, expect, it } from "vitest";
import type { HeldCheck } from "./claim";
import { LagRecorder, SlotTimer, startsTooLate } from "./slot-timer";

// No database and no network: held checks are plain objects, a run is a promise the test settles, and the
// clock is a number the test moves.

function check(id: string, runAt: number, intervalSeconds = 10): HeldCheck {
  return {
    id,
    jobId: `job-${id}`,
    runAt: new Date(runAt),
    intervalSeconds,
    type: "http",
    url: "http://127.0.0.1:1/",
    method: "GET",
    host: null,
    port: null,
    serverId: null,
    command: null,
    expectedStatus: "200-399",
    keyword: null,
    timeoutSeconds: 5,
  };
}

/** A SlotTimer on a fake clock whose runs end when the test says so. */
function harness(concurrency: number, start = 1_000_000) {
  const clock = { now: start };
  const started: { id: string; at: number }[] = [];
  const dropped: string[] = [];
  const finish = new Map<string, () => void>();
  const slots = new SlotTimer(
    concurrency,
    {
      run: (c, at) => {
        started.push({ id: c.id, at: at.getTime() });
        return new Promise<void>((resolve) => finish.set(c.id, resolve));
      },
      dropped: (c) => dropped.push(c.id),
    },
    () => clock.now,
  );
  /** Ends a running check and lets the slot timer react to it. */
  const end = async (id: string) => {
    finish.get(id)!();
    await new Promise((r) => setImmediate(r));
  };
  return { clock, slots, started, dropped, end };
}

describe("startsTooLate", () => {
  it("allows a start up to half an interval after the slot, not a millisecond more", () => {
    const c = check("a", 0, 10);
    expect(startsTooLate(c, 5_000)).toBe(false);
    expect(startsTooLate(c, 5_001)).toBe(true);
    expect(startsTooLate(c, -1_000)).toBe(false);
  });
});

describe("SlotTimer", () => {
  it("starts a due check at once and records its start lag", () => {
    const h = harness(2);
    h.slots.hold(check("a", h.clock.now - 40));
    expect(h.started).toEqual([{ id: "a", at: h.clock.now }]);
    expect(h.slots.stats()).toMatchObject({ started: 1, inFlight: 1, waiting: 0, lagMs: { p50: 40, max: 40, samples: 1 } });
  });

  it("runs at most `concurrency` checks; the others wait in order for a free slot", async () => {
    const h = harness(2);
    for (const id of ["a", "b", "c", "d"]) h.slots.hold(check(id, h.clock.now));
    expect(h.started.map((s) => s.id)).toEqual(["a", "b"]);
    expect(h.slots.stats()).toMatchObject({ inFlight: 2, waiting: 2 });
    h.clock.now += 100;
    await h.end("b");
    expect(h.started.map((s) => s.id)).toEqual(["a", "b", "c"]);
    expect(h.started[2]!.at).toBe(h.clock.now);
    await h.end("a");
    expect(h.started.map((s) => s.id)).toEqual(["a", "b", "c", "d"]);
    expect(h.slots.stats()).toMatchObject({ started: 4, inFlight: 2, waiting: 0 });
  });

  it("drops a check that would start more than half an interval late, when held and when a slot frees", async () => {
    const h = harness(1);
    h.slots.hold(check("late", h.clock.now - 5_001, 10));
    expect(h.dropped).toEqual(["late"]);
    h.slots.hold(check("a", h.clock.now, 10));
    h.slots.hold(check("waits-too-long", h.clock.now, 10));
    h.slots.hold(check("b", h.clock.now + 3_000, 60));
    // Held only until the clock passes its slot: it runs from a timer, which this test never lets fire.
    expect(h.slots.stats()).toMatchObject({ inFlight: 1, waiting: 2 });
    h.clock.now += 6_000;
    await h.end("a");
    expect(h.dropped).toEqual(["late", "waits-too-long"]);
    expect(h.slots.stats()).toMatchObject({ started: 1, skipped: 2, inFlight: 0 });
    h.slots.stop();
  });

  it("starts a future check from its own timer, on its slot", async () => {
    const slots: { id: string; lag: number }[] = [];
    const timer = new SlotTimer(4, {
      run: async (c, at) => void slots.push({ id: c.id, lag: at.getTime() - c.runAt.getTime() }),
      dropped: () => undefined,
    });
    timer.hold(check("soon", Date.now() + 30));
    expect(timer.stats().waiting).toBe(1);
    await expect.poll(() => slots.length, { timeout: 1_000, interval: 5 }).toBe(1);
    expect(Math.abs(slots[0]!.lag)).toBeLessThan(100);
    expect(timer.stats().waiting).toBe(0);
  });

  it("fetches no more than twice its concurrency ahead", async () => {
    const h = harness(2);
    expect(h.slots.room).toBe(4);
    h.slots.hold(check("running", h.clock.now));
    h.slots.hold(check("future", h.clock.now + 60_000, 600));
    expect(h.slots.room).toBe(2);
    h.slots.stop();
  });

  it("once stopped starts nothing more and keeps every unstarted check for handing back", async () => {
    const h = harness(1);
    h.slots.hold(check("running", h.clock.now));
    h.slots.hold(check("ready", h.clock.now));
    h.slots.hold(check("timer", h.clock.now + 60_000, 600));
    h.slots.stop();
    h.slots.hold(check("fetched-after-stop", h.clock.now));
    await h.end("running");
    expect(h.started.map((s) => s.id)).toEqual(["running"]);
    expect(h.slots.takeUnstarted().map((c) => c.id)).toEqual(["timer", "ready", "fetched-after-stop"]);
    expect(h.slots.takeUnstarted()).toEqual([]);
    expect(h.slots.stats()).toMatchObject({ inFlight: 0, waiting: 0 });
  });

  it("whenIdle waits for running checks, but no longer than its grace", async () => {
    const h = harness(1);
    h.slots.hold(check("hangs", h.clock.now));
    const began = Date.now();
    await h.slots.whenIdle(120);
    expect(Date.now() - began).toBeGreaterThanOrEqual(100);
    setTimeout(() => void h.end("hangs"), 20);
    await h.slots.whenIdle(5_000);
    expect(h.slots.stats().inFlight).toBe(0);
  });
});

describe("LagRecorder", () => {
  it("gives percentiles of what it holds, and keeps only the newest once full", () => {
    const lags = new LagRecorder(4);
    expect(lags.percentiles([50, 100])).toEqual([0, 0]);
    for (const ms of [40, 10, 30, 20]) lags.record(ms);
    expect(lags.percentiles([50, 100])).toEqual([30, 40]);
    lags.record(1);
    expect(lags.size).toBe(4);
    expect(lags.percentiles([0, 100])).toEqual([1, 30]);
    lags.reset();
    expect(lags.size).toBe(0);
  });
});
