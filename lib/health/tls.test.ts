import { describe, expect, it } from "vitest";
import { certWarnDaysSchema, DAY_MS, daysLeft, describeExpiry, isRenewal, thresholdsToAlert } from "./tls";

const now = new Date("2026-12-03T12:00:00Z");

describe("days left", () => {
  it("rounds a part day up while valid, and counts expired days down", () => {
    expect(daysLeft(new Date(now.getTime() + 10 * DAY_MS), now)).toBe(10);
    expect(daysLeft(new Date(now.getTime() + 10 * DAY_MS - 5_000), now)).toBe(10);
    expect(daysLeft(new Date(now.getTime() + 3_600_000), now)).toBe(1);
    expect(daysLeft(new Date(now.getTime() - 3_600_000), now)).toBe(0);
    expect(daysLeft(new Date(now.getTime() - 2 * DAY_MS - 5_000), now)).toBe(-2);
    expect(describeExpiry({ notAfter: "2026-12-03T11:00:00.000Z", daysLeft: 0 })).toBe("expired today (2026-12-03)");
    expect(describeExpiry({ notAfter: "2026-12-13T12:00:00.000Z", daysLeft: 10 })).toBe("expires in 10 days (2026-12-13)");
    expect(describeExpiry({ notAfter: "2026-12-01T12:00:00.000Z", daysLeft: -2 })).toBe("expired 2 days ago (2026-12-01)");
  });
});

describe("warning thresholds", () => {
  const t = [30, 14, 7];
  it("alerts each threshold crossed once, largest first", () => {
    expect(thresholdsToAlert(10, t, null)).toEqual([30, 14]);
    expect(thresholdsToAlert(10, t, 14)).toEqual([]);
    expect(thresholdsToAlert(7, t, 14)).toEqual([7]);
    expect(thresholdsToAlert(3, t, 7)).toEqual([]);
    expect(thresholdsToAlert(45, t, null)).toEqual([]);
    expect(thresholdsToAlert(30, t, null)).toEqual([30]);
  });
  it("a renewal is a certificate that expires later", () => {
    expect(isRenewal(null, now)).toBe(false);
    expect(isRenewal(new Date(now.getTime() - DAY_MS), now)).toBe(true);
    expect(isRenewal(now, now)).toBe(false);
  });
  it("certWarnDays are distinct whole days, largest first", () => {
    expect(certWarnDaysSchema.parse([7, 30, "14", 7])).toEqual([30, 14, 7]);
    expect(certWarnDaysSchema.safeParse([0]).error?.issues[0]?.message).toBe("certWarnDays must be at least 1 day");
    expect(certWarnDaysSchema.safeParse([1.5]).error?.issues[0]?.message).toBe("certWarnDays must be whole days");
  });
});
