import { z } from "zod";
import type { AuditOutcome } from "../../generated/prisma/enums";

/*
 * The audit filter's input: what the page, GET /api/v1/audit and the export accept, parsed into the
 * AuditFilter that lib/queries/audit.ts reads with.
 */

const AUDIT_OUTCOMES = ["success", "failure", "denied"] as const satisfies readonly AuditOutcome[];
const AUDIT_PAGE_DEFAULT = 50;
const AUDIT_PAGE_MAX = 500;

const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optional = <S extends z.ZodType>(schema: S) => z.preprocess(emptyToUndefined, schema.optional());

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/;

/** Date() quietly rolls 2026-02-30 over to March; a filter should say that day does not exist instead. */
function isRealDay(day: string): boolean {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * A day ("2026-11-26", UTC) or an ISO date-time (UTC when it has no offset). `from` is inclusive; `to` is
 * exclusive, and a bare day as `to` means the end of that day, so from=to=2026-11-26 is that whole day.
 */
function dateBound(kind: "from" | "to") {
  return z
    .string()
    .trim()
    .refine((s) => ISO_DATE.test(s) || ISO_DATETIME.test(s), "must be a date (YYYY-MM-DD) or an ISO date-time")
    .transform((s, ctx) => {
      const dayOnly = ISO_DATE.test(s);
      const hasZone = /(Z|[+-]\d{2}:\d{2})$/.test(s);
      const date = new Date(dayOnly ? `${s}T00:00:00Z` : hasZone ? s : `${s}Z`);
      if (Number.isNaN(date.getTime()) || !isRealDay(s.slice(0, 10))) {
        ctx.addIssue({ code: "custom", message: "is not a real date" });
        return z.NEVER;
      }
      if (dayOnly && kind === "to") date.setUTCDate(date.getUTCDate() + 1);
      return date;
    });
}

const MAX_BIGINT = 9_223_372_036_854_775_807n;

/** The audit filter as it arrives in a URL (page, API, export): every field optional, empty means absent. */
export const auditFilterFields = z.object({
  actor: optional(z.string().trim().max(254)),
  /** Exact ("deploy.start") or a prefix ending in "." or "*" ("deploy." / "deploy*"). */
  action: optional(
    z
      .string()
      .trim()
      .max(100)
      .regex(/^[a-z0-9_.-]+\*?$/i, "may use letters, digits, . _ - and a trailing *"),
  ),
  /** "<id or name>", or "<type>:<id or name>", or "<type>:" for every event on that kind of target. */
  target: optional(z.string().trim().max(200)),
  outcome: optional(z.enum(AUDIT_OUTCOMES)),
  from: optional(dateBound("from")),
  to: optional(dateBound("to")),
  /** Substring of actor, action, target name, IP or the event details. */
  q: optional(z.string().trim().min(3, "needs at least 3 characters").max(100)),
  cursor: optional(
    z
      .string()
      .trim()
      .regex(/^\d{1,19}$/, "must be an event id from nextCursor")
      .transform((s) => BigInt(s))
      .refine((n) => n <= MAX_BIGINT, "must be an event id from nextCursor"),
  ),
  limit: optional(z.coerce.number().int().min(1).max(AUDIT_PAGE_MAX)).transform((n) => n ?? AUDIT_PAGE_DEFAULT),
});

/** `from` before `to`; a function because a refined object schema cannot be `.extend`ed (the export adds `format`). */
export function withValidRange<S extends z.ZodObject>(schema: S) {
  return schema.refine(
    (f) => {
      const { from, to } = f as { from?: Date; to?: Date };
      return !from || !to || from < to;
    },
    { message: "must be after from", path: ["to"] },
  );
}

export const auditFilterSchema = withValidRange(auditFilterFields);

export const auditExportSchema = withValidRange(auditFilterFields.extend({ format: z.enum(["csv", "json"]).default("csv") }));
