import { z } from "zod";
import type { Db, Tx } from "../db/client";

/** The outcome of the last `audit verify` (CLI or the audit page's "Verify now"), shown on the audit page. */
export const LAST_VERIFY_KEY = "audit.lastVerify";
/**
 * The last event an archive run removed. The first remaining event links to its hash instead of the genesis
 * hash, and the audit.archive event that made the cut repeats it, so the anchor cannot be moved unnoticed.
 */
export const ARCHIVE_ANCHOR_KEY = "audit.archiveAnchor";

export const lastVerifySchema = z.object({
  at: z.string(),
  ok: z.boolean(),
  count: z.number().int(),
  head: z.string().nullable(),
  brokenAt: z.string().nullable(),
  reason: z.string().nullable(),
  by: z.string(),
});
export type LastVerify = z.infer<typeof lastVerifySchema>;

export const archiveAnchorSchema = z.object({
  id: z.string().regex(/^\d+$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  /** The archived event's own time: the chain's time never goes backwards, even across an archive. */
  at: z.string(),
  archivedAt: z.string(),
});
export type ArchiveAnchor = z.infer<typeof archiveAnchorSchema>;

async function writeSetting(client: Db | Tx, key: string, value: LastVerify | ArchiveAnchor): Promise<void> {
  await client.setting.upsert({ where: { key }, create: { key, value }, update: { value } });
}

export async function readLastVerify(client: Db | Tx): Promise<LastVerify | null> {
  const row = await client.setting.findUnique({ where: { key: LAST_VERIFY_KEY } });
  const parsed = lastVerifySchema.safeParse(row?.value);
  return parsed.success ? parsed.data : null;
}

export function writeLastVerify(client: Db | Tx, value: LastVerify): Promise<void> {
  return writeSetting(client, LAST_VERIFY_KEY, value);
}

/**
 * A malformed anchor is reported as an anchor that cannot be read (verify then fails at the first event),
 * never silently treated as "no archive ever happened".
 */
export async function readArchiveAnchor(client: Db | Tx): Promise<ArchiveAnchor | null | "invalid"> {
  const row = await client.setting.findUnique({ where: { key: ARCHIVE_ANCHOR_KEY } });
  if (!row) return null;
  const parsed = archiveAnchorSchema.safeParse(row.value);
  return parsed.success ? parsed.data : "invalid";
}

export function writeArchiveAnchor(client: Db | Tx, value: ArchiveAnchor): Promise<void> {
  return writeSetting(client, ARCHIVE_ANCHOR_KEY, value);
}
