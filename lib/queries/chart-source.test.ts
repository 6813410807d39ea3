import { describe, expect, it } from "vitest";
import { DAY_MS, HOUR_MS } from "../health/time";
import { chooseChartSource, RAW_POINT_LIMIT } from "./chart-source";

describe("chooseChartSource", () => {
  const now = 100 * DAY_MS;
  const from = now - DAY_MS;
  const base = { from, now, rawRetentionDays: 14 };

  it("draws a young monitor's raw checks when its whole history fits the raw limit", () => {
    expect(chooseChartSource({ ...base, createdAt: now - 2 * HOUR_MS, rawChecks: 120 })).toBe("raw");
    expect(chooseChartSource({ ...base, createdAt: now - 2 * HOUR_MS, rawChecks: RAW_POINT_LIMIT })).toBe("raw");
  });

  it("uses buckets once the checks are more than the limit", () => {
    expect(chooseChartSource({ ...base, createdAt: now - 2 * HOUR_MS, rawChecks: RAW_POINT_LIMIT + 1 })).toBe("bucket");
    expect(chooseChartSource({ ...base, createdAt: now - 2 * HOUR_MS, rawChecks: 50, limit: 49 })).toBe("bucket");
  });

  it("uses buckets for a monitor older than the window: its history does not fit", () => {
    expect(chooseChartSource({ ...base, createdAt: from - 1, rawChecks: 10 })).toBe("bucket");
  });

  it("uses buckets when raw retention may have pruned part of the history", () => {
    const wide = { ...base, from: now - 90 * DAY_MS };
    expect(chooseChartSource({ ...wide, createdAt: now - 20 * DAY_MS, rawChecks: 500 })).toBe("bucket");
    expect(chooseChartSource({ ...wide, createdAt: now - 10 * DAY_MS, rawChecks: 500 })).toBe("raw");
  });
});
