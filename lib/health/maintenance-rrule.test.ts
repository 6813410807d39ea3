import { describe, expect, it } from "vitest";
import { fromWall, nextRruleRun, normaliseRrule } from "./maintenance-rrule";

const anchor = new Date("2026-01-05T10:00:00Z");
const next = (rule: string, tz: string, after: string) => nextRruleRun(normaliseRrule(rule), tz, anchor, new Date(after))?.toISOString() ?? null;

describe("RRULE maintenance runs", () => {
  // Berlin moves from CET (UTC+1) to CEST (UTC+2) on 2026-03-29 at 02:00, and back on 2026-10-25 at 03:00.
  it("keeps its local time across DST in the window's time zone", () => {
    const weekly = "FREQ=WEEKLY;BYDAY=SU;BYHOUR=3";
    expect(next(weekly, "Europe/Berlin", "2026-03-20T00:00:00Z")).toBe("2026-03-22T02:00:00.000Z");
    expect(next(weekly, "Europe/Berlin", "2026-03-23T00:00:00Z")).toBe("2026-03-29T01:00:00.000Z");
    expect(next(weekly, "Europe/Berlin", "2026-03-29T01:00:00Z")).toBe("2026-04-05T01:00:00.000Z");
    expect(next(weekly, "Europe/Berlin", "2026-10-24T00:00:00Z")).toBe("2026-10-25T02:00:00.000Z");
    expect(next(weekly, "UTC", "2026-03-23T00:00:00Z")).toBe("2026-03-29T03:00:00.000Z");
  });

  it("a skipped local time opens after the jump; a repeated one at the later instant", () => {
    // 02:30 does not exist in Berlin on 2026-03-29: 03:30 CEST = 01:30 UTC.
    expect(fromWall(Date.parse("2026-03-29T02:30:00Z"), "Europe/Berlin")).toBe(Date.parse("2026-03-29T01:30:00Z"));
    // 02:30 exists twice on 2026-10-25: the later one is CET, 01:30 UTC.
    expect(fromWall(Date.parse("2026-10-25T02:30:00Z"), "Europe/Berlin")).toBe(Date.parse("2026-10-25T01:30:00Z"));
    expect(next("FREQ=DAILY;BYHOUR=2;BYMINUTE=30", "Europe/Berlin", "2026-03-28T12:00:00Z")).toBe("2026-03-29T01:30:00.000Z");
    expect(next("FREQ=DAILY;BYHOUR=2;BYMINUTE=30", "Europe/Berlin", "2026-03-29T01:30:00Z")).toBe("2026-03-30T00:30:00.000Z");
  });

  it("minutes default to 0, INTERVAL and COUNT count from the anchor, monthly rules take BYSETPOS", () => {
    expect(next("FREQ=DAILY;BYHOUR=4", "UTC", "2026-02-01T05:00:00Z")).toBe("2026-02-02T04:00:00.000Z");
    // Anchor Monday 2026-01-05: every second week on Monday.
    expect(next("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;BYHOUR=1", "UTC", "2026-01-06T00:00:00Z")).toBe("2026-01-19T01:00:00.000Z");
    expect(next("FREQ=DAILY;COUNT=3;BYHOUR=1", "UTC", "2026-01-06T12:00:00Z")).toBe("2026-01-07T01:00:00.000Z");
    expect(next("FREQ=DAILY;COUNT=3;BYHOUR=1", "UTC", "2026-01-07T12:00:00Z")).toBeNull();
    // The last Saturday of each month, 22:00 New York.
    expect(next("FREQ=MONTHLY;BYDAY=SA;BYSETPOS=-1;BYHOUR=22", "America/New_York", "2026-03-02T00:00:00Z")).toBe("2026-03-29T02:00:00.000Z");
  });

  it("refuses what is not an RRULE it understands, in plain words", () => {
    const err = (rule: string) => {
      try {
        normaliseRrule(rule);
        return "accepted";
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(normaliseRrule("RRULE:freq=weekly;byday=su;byhour=2")).toBe("FREQ=WEEKLY;BYDAY=SU;BYHOUR=2");
    expect(err("BYDAY=SU")).toBe("FREQ is required (DAILY, WEEKLY, MONTHLY or YEARLY)");
    expect(err("FREQ=MINUTELY")).toMatch(/^FREQ=MINUTELY: a maintenance window repeats DAILY/);
    expect(err("FREQ=WEEKLY;BYDAY=XX")).toBe('BYDAY "XX" must be days such as MO,TU or 1SU');
    expect(err("FREQ=WEEKLY;BYHOUR=two")).toBe('BYHOUR "TWO" must be whole numbers separated by commas');
    expect(err("garbage")).toMatch(/^"GARBAGE" is not KEY=VALUE/);
    expect(err("FREQ=DAILY;COLOR=RED")).toMatch(/^COLOR is not an RRULE part/);
    expect(err("DTSTART:20260101T000000Z\nRRULE:FREQ=DAILY")).toMatch(/^leave out DTSTART and TZID/);
  });
});
