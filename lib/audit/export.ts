import type { HashedFields } from "./canonical";

/** How audit events leave Deckhand: the CSV and JSON of an export, and the lines of an archive file. */

/** An event as it leaves Deckhand (export and archive files): every stored column, id as a string. */
export type ExportedEvent = Omit<HashedFields, "at"> & { id: string; at: string; prevHash: string; hash: string };

interface StoredEvent extends Omit<ExportedEvent, "id" | "at"> {
  id: string | bigint;
  at: Date;
}

export function toExportedEvent(row: StoredEvent): ExportedEvent {
  return {
    id: row.id.toString(),
    at: row.at.toISOString(),
    actorType: row.actorType,
    actorId: row.actorId,
    actorLabel: row.actorLabel,
    actorRole: row.actorRole,
    ip: row.ip,
    userAgent: row.userAgent,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    targetName: row.targetName,
    outcome: row.outcome,
    summary: row.summary ?? null,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

export const CSV_COLUMNS = [
  "id",
  "at",
  "actorType",
  "actorId",
  "actorLabel",
  "actorRole",
  "ip",
  "userAgent",
  "action",
  "targetType",
  "targetId",
  "targetName",
  "outcome",
  "summary",
  "prevHash",
  "hash",
] as const satisfies readonly (keyof ExportedEvent)[];

/**
 * One RFC 4180 cell. A cell a spreadsheet would run as a formula (= + - @, or a leading tab or carriage
 * return) gets a leading apostrophe first: actor labels, target names and user agents are user-supplied.
 */
export function csvCell(value: string | null): string {
  if (value === null) return "";
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(event: ExportedEvent): string {
  return (
    CSV_COLUMNS.map((c) => {
      const v = event[c];
      return csvCell(c === "summary" ? (v === null ? null : JSON.stringify(v)) : (v as string | null));
    }).join(",") + "\r\n"
  );
}
