/**
 * The release verdict's arithmetic, with no I/O: a new release's check results over its soak against the
 * previous release's recent baseline. A regression is an error rate higher by more than `maxErrorRateIncrease`
 * percentage points, or a p95 latency above the baseline's times `maxLatencyRatio`. With too few samples on
 * either side nothing is concluded, and the release passes as "inconclusive".
 */

export interface Sample {
  at: Date;
  ok: boolean;
  /** null: the check got no answer to time (a failure with no latency). */
  latencyMs: number | null;
}

export interface VerdictPolicy {
  /** Percentage points. */
  maxErrorRateIncrease: number;
  maxLatencyRatio: number;
  /** A p95 that grows by less than this many ms is never a regression (a 2 ms answer turning 5 ms is noise, not a ratio of 2.5). */
  minLatencyIncreaseMs: number;
  /** Fewer samples than this on either side: inconclusive. */
  minSamples: number;
}

export interface SideFigures {
  checks: number;
  failures: number;
  /** Percent, 0–100. */
  errorRate: number;
  /** Of the checks that answered; null when none did. */
  p95LatencyMs: number | null;
}

export interface VerdictNumbers {
  soak: SideFigures;
  baseline: SideFigures;
  maxErrorRateIncrease: number;
  maxLatencyRatio: number;
  minLatencyIncreaseMs: number;
  minSamples: number;
  /** What regressed ("error rate", "p95 latency"); empty when nothing did. */
  regressions: string[];
}

export type VerdictOutcome = "passed" | "regressed" | "inconclusive";

export interface Verdict {
  outcome: VerdictOutcome;
  /** "error rate 33% vs 0% before; p95 12 ms vs 10 ms" */
  summary: string;
  numbers: VerdictNumbers;
}

/** The nearest-rank 95th percentile (the value at or below which 95% of the values lie); null for none. */
export function p95(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.ceil(0.95 * sorted.length)) - 1]!;
}

export function figuresOf(samples: Sample[]): SideFigures {
  const failures = samples.filter((s) => !s.ok).length;
  const latencies = samples.filter((s) => s.ok && s.latencyMs !== null).map((s) => s.latencyMs!);
  return { checks: samples.length, failures, errorRate: samples.length ? (failures / samples.length) * 100 : 0, p95LatencyMs: p95(latencies) };
}

/** "18%", "0.4%", "33.3%": one decimal below 10 points' worth of precision, none for whole numbers. */
export function formatRate(rate: number): string {
  const rounded = Math.round(rate * 10) / 10;
  return `${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1)}%`;
}

function formatMs(ms: number | null): string {
  return ms === null ? "no answers" : `${Math.round(ms)} ms`;
}

export function judge(soakSamples: Sample[], baselineSamples: Sample[], policy: VerdictPolicy): Verdict {
  const soak = figuresOf(soakSamples);
  const baseline = figuresOf(baselineSamples);
  const regressions: string[] = [];
  const enough = soak.checks >= policy.minSamples && baseline.checks >= policy.minSamples;
  if (enough) {
    if (soak.errorRate - baseline.errorRate > policy.maxErrorRateIncrease) regressions.push("error rate");
    const [now, before] = [soak.p95LatencyMs, baseline.p95LatencyMs];
    if (now !== null && before !== null && now > before * policy.maxLatencyRatio && now - before >= policy.minLatencyIncreaseMs) regressions.push("p95 latency");
  }
  const numbers: VerdictNumbers = { soak, baseline, maxErrorRateIncrease: policy.maxErrorRateIncrease, maxLatencyRatio: policy.maxLatencyRatio, minLatencyIncreaseMs: policy.minLatencyIncreaseMs, minSamples: policy.minSamples, regressions };
  const figures = `error rate ${formatRate(soak.errorRate)} vs ${formatRate(baseline.errorRate)} before; p95 ${formatMs(soak.p95LatencyMs)} vs ${formatMs(baseline.p95LatencyMs)}`;
  if (!enough) {
    const short = [soak.checks < policy.minSamples ? `${soak.checks} check(s) during the soak` : null, baseline.checks < policy.minSamples ? `${baseline.checks} check(s) before the deploy` : null].filter(Boolean).join(" and ");
    return { outcome: "inconclusive", summary: `inconclusive: only ${short} (at least ${policy.minSamples} needed on each side)`, numbers };
  }
  if (regressions.length === 0) return { outcome: "passed", summary: `passed: ${figures}`, numbers };
  return { outcome: "regressed", summary: `${regressions.join(" and ")} regressed: ${figures}`, numbers };
}
