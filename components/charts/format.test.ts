import { describe, expect, it } from "vitest";
import { formatMsTick, formatSpan, formatUp } from "./format";

const H = 3_600_000;

describe("chart labels", () => {
  it("a bucket's span names its hours in UTC, a day bucket its day", () => {
    const day = Date.UTC(2026, 11, 3);
    expect(formatSpan(day + 14 * H, day + 15 * H)).toBe("3 Dec 14:00–15:00 UTC");
    expect(formatSpan(day + 23 * H, day + 24 * H)).toBe("3 Dec 23:00–00:00 UTC");
    expect(formatSpan(day + 23 * H, day + 25 * H)).toBe("3 Dec 23:00–4 Dec 01:00 UTC");
    expect(formatSpan(day, day + 24 * H)).toBe("3 Dec, all day UTC");
  });

  it("uptime never rounds a failure up to 100 %", () => {
    expect(formatUp(1000, 8)).toBe("99.2 % up");
    expect(formatUp(10_000, 1)).toBe("99.9 % up");
    expect(formatUp(5, 0)).toBe("100 % up");
    expect(formatUp(0, 0)).toBe("no checks");
  });

  it("latency ticks are short: whole ms, a decimal only under 10 ms, seconds from 10 s", () => {
    expect(formatMsTick(0)).toBe("0 ms");
    expect(formatMsTick(2.5)).toBe("2.5 ms");
    expect(formatMsTick(70)).toBe("70 ms");
    expect(formatMsTick(12_500)).toBe("12.5 s");
    expect(formatMsTick(20_000)).toBe("20 s");
  });
});
