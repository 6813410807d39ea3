import { createHash } from "node:crypto";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** JSON with object keys sorted at every depth: the same event always serialises to the same bytes. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  if (typeof value === "bigint") return JSON.stringify(value.toString());
  return JSON.stringify(value);
}

/** Exactly the columns an event's hash covers, in one list: writers and verifiers cannot drift apart. */
export const HASHED_KEYS = ["at", "actorType", "actorId", "actorLabel", "actorRole", "ip", "userAgent", "action", "targetType", "targetId", "targetName", "outcome", "summary"] as const;

export interface HashedFields {
  at: Date;
  actorType: string;
  actorId: string | null;
  actorLabel: string;
  actorRole: string | null;
  ip: string | null;
  userAgent: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  targetName: string | null;
  outcome: string;
  summary: unknown;
}

/** The hashed part of a stored row (which also carries id, prevHash and hash). */
export function hashedFieldsOf(row: HashedFields): HashedFields {
  return Object.fromEntries(HASHED_KEYS.map((k) => [k, row[k]])) as unknown as HashedFields;
}

export const GENESIS_HASH = "0".repeat(64);

export function eventHash(prevHash: string, fields: HashedFields): string {
  return createHash("sha256").update(prevHash).update("\n").update(canonicalJson(fields)).digest("hex");
}

const SECRET_KEY = /pass(word)?|secret|token|private|^value$|^values$|^env$|authorization|cookie/i;

/**
 * Replaces the value of any secret-looking key with "[redacted]", at every depth. A boolean or null under such
 * a key stays: it cannot carry a secret, and "passwordChanged: true" is exactly the summary a reviewer needs.
 */
export function redact(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(redact);
  if (typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, SECRET_KEY.test(k) && v !== null && typeof v !== "boolean" ? "[redacted]" : redact(v)]),
    );
  }
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  return String(value);
}
