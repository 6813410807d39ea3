import { describe, expect, it } from "vitest";
import { cronSchema, deadlineAfter, deadlineAfterMiss, heartbeatTarget, nextExpected, timeZoneSchema } from "./heartbeat-schedule";

const every = (intervalSeconds: number, graceSeconds: number | null = 30) => ({ intervalSeconds, graceSeconds, cron: null, cronTimeZone: null });
const cron = (expr: string, tz: string | null, graceSeconds = 300) => ({ intervalSeconds: 60, graceSeconds, cron: expr, cronTimeZone: tz });
const t = (iso: string) => new Date(iso);

describe("heartbeat deadlines", () => {
  it("every interval: the next beat is due interval + grace after the last", () => {
    expect(deadlineAfter(every(300, 30), t("2026-12-03T10:00:00Z")).toISOString()).toBe("2026-12-03T10:05:30.000Z");
    // No grace given: the default minute.
    expect(deadlineAfter(every(300, null), t("2026-12-03T10:00:00Z")).toISOString()).toBe("2026-12-03T10:06:00.000Z");
  });

  it("per cron, in the schedule's time zone, across a DST change", () => {
    // 03:00 in Berlin is 02:00 UTC in winter and 01:00 UTC in summer (DST began 2026-03-29).
    expect(nextExpected(cron("0 3 * * *", "Europe/Berlin"), t("2026-12-03T12:00:00Z")).toISOString()).toBe("2026-12-04T02:00:00.000Z");
    expect(nextExpected(cron("0 3 * * *", "Europe/Berlin"), t("2026-03-29T00:30:00Z")).toISOString()).toBe("2026-03-29T01:00:00.000Z");
    expect(deadlineAfter(cron("0 3 * * *", "Europe/Berlin", 600), t("2026-12-03T12:00:00Z")).toISOString()).toBe("2026-12-04T02:10:00.000Z");
    // No time zone: UTC.
    expect(nextExpected(cron("30 4 * * 1", null), t("2026-12-03T12:00:00Z")).toISOString()).toBe("2026-12-07T04:30:00.000Z");
  });

  it("after a miss: the next expected beat, skipping those already past", () => {
    const s = every(60, 10);
    // Missed the 10:01:10 deadline, swept at once: next due 10:02:10.
    expect(deadlineAfterMiss(s, t("2026-12-03T10:01:10Z"), t("2026-12-03T10:01:11Z")).toISOString()).toBe("2026-12-03T10:02:10.000Z");
    // No worker for an hour: one miss, and the next deadline is in the future.
    expect(deadlineAfterMiss(s, t("2026-12-03T10:01:10Z"), t("2026-12-03T11:00:30Z")).toISOString()).toBe("2026-12-03T11:01:10.000Z");
    const nightly = cron("0 3 * * *", "UTC", 600);
    expect(deadlineAfterMiss(nightly, t("2026-12-03T03:10:00Z"), t("2026-12-03T03:10:01Z")).toISOString()).toBe("2026-12-04T03:10:00.000Z");
  });

  it("validates cron expressions and time zones with messages", () => {
    expect(cronSchema.safeParse("0 3 * * *").success).toBe(true);
    expect(cronSchema.safeParse("*/10 * * * * *").success).toBe(true);
    const bad = cronSchema.safeParse("every night");
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.message).toMatch(/not a cron expression/);
    expect(timeZoneSchema.safeParse("Europe/Berlin").success).toBe(true);
    expect(timeZoneSchema.safeParse("Mars/Olympus").error!.issues[0]!.message).toMatch(/IANA time zone/);
  });

  it("describes the schedule as the monitor's target", () => {
    expect(heartbeatTarget(every(300, 30))).toBe("push: every 300 s + 30 s grace");
    expect(heartbeatTarget(cron("0 3 * * *", "Europe/Berlin", 600))).toBe('push: cron "0 3 * * *" (Europe/Berlin) + 600 s grace');
  });
});
