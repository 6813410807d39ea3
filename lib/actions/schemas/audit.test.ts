import { describe, expect, it } from "vitest";
import { auditExportSchema, auditFilterSchema } from "./audit";

describe("auditFilterSchema", () => {
  it("defaults to 50 per page and caps the limit at 500", () => {
    expect(auditFilterSchema.parse({}).limit).toBe(50);
    expect(auditFilterSchema.parse({ limit: "500" }).limit).toBe(500);
    expect(auditFilterSchema.safeParse({ limit: "501" }).success).toBe(false);
    expect(auditFilterSchema.safeParse({ limit: "0" }).success).toBe(false);
  });

  it("rejects bad cursors, dates, ranges and too-short searches, and treats empty fields as absent", () => {
    for (const bad of [
      { cursor: "abc" },
      { cursor: "-1" },
      { cursor: "99999999999999999999" },
      { cursor: "9223372036854775808" },
      { from: "yesterday" },
      { to: "2026-13-01" },
      { from: "2026-02-30" },
      { from: "2026-01-05", to: "2026-01-04" },
      { q: "ab" },
      { outcome: "maybe" },
      { action: "deploy; drop" },
    ]) {
      expect(auditFilterSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(auditFilterSchema.parse({ actor: "", action: " ", outcome: "", from: "", cursor: "" })).toEqual({ limit: 50 });
  });

  it("reads a bare day as `to` up to the end of that day, and a zone-less time as UTC", () => {
    expect(auditFilterSchema.parse({ from: "2026-11-26", to: "2026-11-26" })).toMatchObject({ from: new Date("2026-11-26T00:00:00Z"), to: new Date("2026-11-27T00:00:00Z") });
    expect(auditFilterSchema.parse({ from: "2026-11-26T10:00" }).from).toEqual(new Date("2026-11-26T10:00:00Z"));
    expect(auditFilterSchema.parse({ cursor: "42" }).cursor).toBe(42n);
  });
});

describe("auditExportSchema", () => {
  it("the format is csv unless json is asked for, and nothing else is accepted", () => {
    expect(auditExportSchema.parse({}).format).toBe("csv");
    expect(auditExportSchema.safeParse({ format: "xlsx" }).success).toBe(false);
    expect(auditExportSchema.safeParse({ format: "json", from: "2026-01-02", to: "2026-01-01" }).success).toBe(false);
  });
});
