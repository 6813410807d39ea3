import { describe, expect, it } from "vitest";
import { figuresOf, formatRate, judge, p95, type Sample } from "./maths";

const policy = { maxErrorRateIncrease: 5, maxLatencyRatio: 2, minLatencyIncreaseMs: 50, minSamples: 5 };

function samples(n: number, opts: { failEvery?: number; latencyMs?: (i: number) => number } = {}): Sample[] {
  return Array.from({ length: n }, (_, i) => {
    const ok = !(opts.failEvery && (i + 1) % opts.failEvery === 0);
    return { at: new Date(i * 1000), ok, latencyMs: ok ? (opts.latencyMs?.(i) ?? 10) : null };
  });
}

describe("release verdict maths", () => {
  it("p95 is the nearest-rank percentile of the answered checks", () => {
    expect(p95([])).toBeNull();
    expect(p95([7])).toBe(7);
    expect(p95(Array.from({ length: 100 }, (_, i) => i + 1))).toBe(95);
    expect(p95(Array.from({ length: 20 }, (_, i) => 20 - i))).toBe(19);
    // failures carry no latency and are left out of it
    expect(figuresOf(samples(9, { failEvery: 3 }))).toEqual({ checks: 9, failures: 3, errorRate: (3 / 9) * 100, p95LatencyMs: 10 });
  });

  it("formats rates as people read them", () => {
    expect(formatRate(18)).toBe("18%");
    expect(formatRate(0.4)).toBe("0.4%");
    expect(formatRate(100 / 3)).toBe("33.3%");
    expect(formatRate(0)).toBe("0%");
  });

  it("an error rate higher by more than the allowed points regresses", () => {
    const v = judge(samples(9, { failEvery: 3 }), samples(20), policy);
    expect(v.outcome).toBe("regressed");
    expect(v.numbers.regressions).toEqual(["error rate"]);
    expect(v.summary).toBe("error rate regressed: error rate 33.3% vs 0% before; p95 10 ms vs 10 ms");
  });

  it("an increase within the allowance passes, the bound itself included", () => {
    // 1 failure in 20 = 5 points over a clean baseline: not more than 5
    expect(judge(samples(20, { failEvery: 20 }), samples(20), policy).outcome).toBe("passed");
    expect(judge(samples(10, { failEvery: 10 }), samples(20), policy).outcome).toBe("regressed");
    // a baseline that already failed as often is no regression
    expect(judge(samples(9, { failEvery: 3 }), samples(30, { failEvery: 3 }), policy).outcome).toBe("passed");
  });

  it("a p95 over the baseline's times the ratio regresses, unless the increase is below the noise floor", () => {
    const slow = judge(samples(20, { latencyMs: () => 250 }), samples(20, { latencyMs: () => 100 }), policy);
    expect(slow.outcome).toBe("regressed");
    expect(slow.numbers.regressions).toEqual(["p95 latency"]);
    expect(slow.summary).toContain("p95 250 ms vs 100 ms");
    expect(judge(samples(20, { latencyMs: () => 199 }), samples(20, { latencyMs: () => 100 }), policy).outcome).toBe("passed");
    // 2 ms → 6 ms is three times, but 4 ms is loopback noise
    expect(judge(samples(20, { latencyMs: () => 6 }), samples(20, { latencyMs: () => 2 }), policy).outcome).toBe("passed");
    const both = judge(samples(20, { failEvery: 2, latencyMs: () => 900 }), samples(20, { latencyMs: () => 100 }), policy);
    expect(both.numbers.regressions).toEqual(["error rate", "p95 latency"]);
  });

  it("too few samples on either side is inconclusive, and says which side", () => {
    const few = judge(samples(3, { failEvery: 1 }), samples(20), policy);
    expect(few.outcome).toBe("inconclusive");
    expect(few.summary).toBe("inconclusive: only 3 check(s) during the soak (at least 5 needed on each side)");
    const none = judge(samples(20), [], policy);
    expect(none.outcome).toBe("inconclusive");
    expect(none.summary).toContain("0 check(s) before the deploy");
    expect(none.numbers.baseline).toEqual({ checks: 0, failures: 0, errorRate: 0, p95LatencyMs: null });
  });
});
