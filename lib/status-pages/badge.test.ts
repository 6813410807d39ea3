import { describe, expect, it } from "vitest";
import { badgeSvg, statusColor } from "./badge";
import { overallOf } from "./public";
import { lastDays, uptimeOf } from "./daily";
import { createStatusPageSchema } from "./schemas";

describe("status page pieces", () => {
  it("escapes a hostile name in a badge and clips a long one", () => {
    const svg = badgeSvg(`<script>alert("x")</script>`, "up", "green");
    expect(svg).not.toContain("<script>");
    expect(svg).toContain("&lt;script&gt;");
    expect(badgeSvg("x".repeat(100), "up", statusColor("up"))).toContain("x".repeat(39) + "…");
  });

  it("sums up a page: operational, partial or major outage, no data", () => {
    expect(overallOf(["up", "up", "paused"])).toBe("operational");
    expect(overallOf(["up", "down"])).toBe("partial_outage");
    expect(overallOf(["down"])).toBe("major_outage");
    expect(overallOf(["pending", "paused"])).toBe("no_data");
  });

  it("lays out 90 days ending today, oldest first, and their uptime", () => {
    const now = Date.UTC(2026, 11, 3, 15);
    const today = Date.UTC(2026, 11, 3);
    const days = lastDays([{ t: today, checks: 10, failures: 1 }], now, 90);
    expect(days).toHaveLength(90);
    expect(days.at(-1)).toEqual({ t: today, checks: 10, failures: 1 });
    expect(days[0]!.t).toBe(today - 89 * 86_400_000);
    expect(uptimeOf(days)).toBe(90);
    expect(uptimeOf(lastDays([], now, 90))).toBeNull();
  });

  it("takes a logo only from this site or a data: URL", () => {
    const ok = (logoUrl: string) => createStatusPageSchema.safeParse({ slug: "a", title: "A", logoUrl }).success;
    expect(ok("/brand/logo.svg")).toBe(true);
    expect(ok("data:image/png;base64,iVBORw0KGgo=")).toBe(true);
    expect(ok("https://elsewhere.example/logo.png")).toBe(false);
    expect(ok("//elsewhere.example/logo.png")).toBe(false);
    expect(ok("javascript:alert(1)")).toBe(false);
  });
});
