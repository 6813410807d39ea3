import { Prisma } from "../generated/prisma/client";
import type { AuditOutcome } from "../generated/prisma/enums";
import { db, type Db } from "../db/client";
import type { HashedFields } from "../audit/canonical";
import type { AuditScope } from "../auth/permissions";
import { readLastVerify, type LastVerify } from "../audit/settings";
import { CSV_COLUMNS, csvLine, toExportedEvent } from "../audit/export";

/** The audit filter, parsed (lib/actions/schemas/audit.ts): `to` is exclusive, `cursor` the last id of the previous page. */
export interface AuditFilter {
  actor?: string;
  /** Exact, or a prefix ending in "." or "*". */
  action?: string;
  /** "<id or name>", "<type>:<id or name>" or "<type>:". */
  target?: string;
  outcome?: AuditOutcome;
  from?: Date;
  to?: Date;
  /** Substring of actor, action, target name, IP or the event details (summary JSON as text). */
  q?: string;
  cursor?: bigint;
  limit: number;
}

/** An event as the page shows it: the id as a string, the time in epoch ms. */
export type AuditEventRow = Omit<HashedFields, "outcome" | "at"> & { id: string; at: number; outcome: AuditOutcome; prevHash: string; hash: string };

/** An event as stored: what the export writes out column for column. */
interface StoredEvent extends Omit<AuditEventRow, "id" | "at"> {
  id: bigint;
  at: Date;
}

/**
 * Must stay identical to the expression of "AuditEvent_search_trgm_idx" (migration 20261126120000_audit_review):
 * the planner only uses an expression index for the very same expression.
 */
const SEARCH_TEXT = Prisma.sql`lower("actorLabel" || ' ' || "action" || ' ' || coalesce("targetName", '') || ' ' || coalesce("ip", ''))`;

const COLUMNS = Prisma.sql`"id", "at", "actorType", "actorId", "actorLabel", "actorRole", "ip", "userAgent", "action",
  "targetType", "targetId", "targetName", "outcome"::text AS "outcome", "summary", "prevHash", "hash"`;

/** "at" is timestamp(3) holding UTC: compare with a zone-less UTC literal, whatever the session's TimeZone. */
function utc(date: Date): Prisma.Sql {
  return Prisma.sql`${date.toISOString().slice(0, 23)}::timestamp(3)`;
}

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Every distinct action name, by a loose index scan (one index probe per name, not a pass over the table). */
export async function listAuditActionNames(client: Db = db()): Promise<string[]> {
  const rows = await client.$queryRaw<{ action: string }[]>`
    WITH RECURSIVE names AS (
      (SELECT "action" FROM "AuditEvent" ORDER BY "action" LIMIT 1)
      UNION ALL
      SELECT (SELECT "action" FROM "AuditEvent" WHERE "action" > names."action" ORDER BY "action" LIMIT 1)
      FROM names WHERE names."action" IS NOT NULL
    )
    SELECT "action" FROM names WHERE "action" IS NOT NULL`;
  return rows.map((r) => r.action);
}

/** Every distinct actor label, the same way: for the actor filter's suggestions. */
export async function listAuditActorLabels(client: Db = db()): Promise<string[]> {
  const rows = await client.$queryRaw<{ label: string }[]>`
    WITH RECURSIVE labels AS (
      (SELECT "actorLabel" AS label FROM "AuditEvent" ORDER BY "actorLabel" LIMIT 1)
      UNION ALL
      SELECT (SELECT "actorLabel" FROM "AuditEvent" WHERE "actorLabel" > labels.label ORDER BY "actorLabel" LIMIT 1)
      FROM labels WHERE labels.label IS NOT NULL
    )
    SELECT label FROM labels WHERE label IS NOT NULL`;
  return rows.map((r) => r.label);
}

/**
 * A date range as an id range. recordAudit never lets time go backwards along the chain, so the events at or
 * after a moment are exactly those from the first such event's id on. Walking the primary key inside that
 * id range is what keeps an old, narrow range as fast as a recent one.
 */
async function idBounds(client: Db, from: Date | undefined, to: Date | undefined): Promise<{ low: bigint | null; high: bigint | null; empty: boolean }> {
  if (!from && !to) return { low: null, high: null, empty: false };
  const firstAtOrAfter = (moment: Date) => Prisma.sql`(
    SELECT min("id") FROM "AuditEvent"
    WHERE "at" = (SELECT min("at") FROM "AuditEvent" WHERE "at" >= ${utc(moment)})
  )`;
  const [row] = await client.$queryRaw<{ low: bigint | null; high: bigint | null }[]>`
    SELECT ${from ? firstAtOrAfter(from) : Prisma.sql`NULL::bigint`} AS low,
           ${to ? firstAtOrAfter(to) : Prisma.sql`NULL::bigint`} AS high`;
  const low = row?.low ?? null;
  const high = row?.high ?? null;
  // Nothing happened at or after `from`: the range is empty.
  return { low, high, empty: !!from && low === null };
}

function parseTarget(target: string): { type: string | null; value: string } {
  const m = /^([a-z_]+):(.*)$/.exec(target);
  return m ? { type: m[1]!, value: m[2]!.trim() } : { type: null, value: target };
}

export interface AuditPage {
  events: AuditEventRow[];
  /** The id to pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/** One page of the audit log, newest first, for the page and GET /api/v1/audit. */
export async function listAuditEvents(filter: AuditFilter, scope: AuditScope, client: Db = db()): Promise<AuditPage> {
  const { rows, nextCursor } = await readAuditPage(filter, scope, client);
  return { events: rows.map((r) => ({ ...r, id: r.id.toString(), at: r.at.getTime() })), nextCursor };
}

/**
 * One page of stored events, newest first, keyset-paginated on id (cursor = the last id of the previous page).
 * Built so every filter walks an index in id order and stops after one page: see bench/audit.ts for the figures.
 */
async function readAuditPage(filter: AuditFilter, scope: AuditScope, client: Db): Promise<{ rows: StoredEvent[]; nextCursor: string | null }> {
  const limit = filter.limit;
  const common: Prisma.Sql[] = [];

  if (scope.kind === "own") {
    common.push(Prisma.sql`"actorId" = ${scope.actorId}`, Prisma.sql`"actorType" = ${scope.actorType}`);
  }
  if (filter.cursor !== undefined) common.push(Prisma.sql`"id" < ${filter.cursor}`);
  if (filter.actor) common.push(Prisma.sql`lower("actorLabel") = lower(${filter.actor})`);

  if (filter.action) {
    const prefix = /[.*]$/.test(filter.action) ? filter.action.replace(/\*$/, "") : null;
    if (prefix === null) {
      common.push(Prisma.sql`"action" = ${filter.action}`);
    } else {
      // A prefix becomes the list of names it covers, so each name's own index range serves it with exact statistics.
      const names = (await listAuditActionNames(client)).filter((n) => n.startsWith(prefix));
      if (names.length === 0) return { rows: [], nextCursor: null };
      common.push(Prisma.sql`"action" IN (${Prisma.join(names)})`);
    }
  }
  if (filter.outcome) common.push(Prisma.sql`"outcome" = ${filter.outcome}::"AuditOutcome"`);

  if (filter.from || filter.to) {
    const bounds = await idBounds(client, filter.from, filter.to);
    if (bounds.empty) return { rows: [], nextCursor: null };
    if (bounds.low !== null) common.push(Prisma.sql`"id" >= ${bounds.low}`);
    if (bounds.high !== null) common.push(Prisma.sql`"id" < ${bounds.high}`);
    if (filter.from) common.push(Prisma.sql`"at" >= ${utc(filter.from)}`);
    if (filter.to) common.push(Prisma.sql`"at" < ${utc(filter.to)}`);
  }
  if (filter.q) {
    // The details (the JSON summary) as text too: a bound parameter, LIKE-escaped, never string-built SQL.
    const pattern = `%${likeEscape(filter.q.toLowerCase())}%`;
    common.push(Prisma.sql`(${SEARCH_TEXT} LIKE ${pattern} OR lower(coalesce("summary"::text, '')) LIKE ${pattern})`);
  }

  // A target value may be an id or a name: two branches, each walking its own index newest-first, merged.
  let branches: Prisma.Sql[] = [];
  if (filter.target) {
    const { type, value } = parseTarget(filter.target);
    if (type) common.push(Prisma.sql`"targetType" = ${type}`);
    if (value) branches = [Prisma.sql`"targetId" = ${value}`, Prisma.sql`lower("targetName") = lower(${value})`];
  }

  const where = (extra: Prisma.Sql[]) => {
    const all = [...common, ...extra];
    return all.length ? Prisma.sql`WHERE ${Prisma.join(all, " AND ")}` : Prisma.empty;
  };
  const take = limit + 1;
  const query =
    branches.length === 0
      ? Prisma.sql`SELECT ${COLUMNS} FROM "AuditEvent" ${where([])} ORDER BY "id" DESC LIMIT ${take}`
      : Prisma.sql`SELECT ${COLUMNS} FROM "AuditEvent" WHERE "id" IN (
          SELECT "id" FROM (${Prisma.join(
            branches.map((b) => Prisma.sql`(SELECT "id" FROM "AuditEvent" ${where([b])} ORDER BY "id" DESC LIMIT ${take})`),
            " UNION ",
          )}) AS matched ORDER BY "id" DESC LIMIT ${take}
        ) ORDER BY "id" DESC`;

  const rows = await client.$queryRaw<StoredEvent[]>(query);
  const page = rows.slice(0, limit);
  return { rows: page, nextCursor: rows.length > limit ? (page.at(-1)?.id.toString() ?? null) : null };
}

export interface AuditHead {
  count: number;
  /** Above ~100k events the count is the planner's estimate (exact counting would read the whole index). */
  countIsEstimate: boolean;
  headId: string | null;
  headHash: string | null;
  headAt: number | null;
}

const EXACT_COUNT_BELOW = 100_000;

/** The newest event's hash: what a team copies and keeps elsewhere to prove later that nothing was cut off. */
export async function getAuditHead(client: Db = db()): Promise<AuditHead> {
  const [head, [estimate]] = await Promise.all([
    client.auditEvent.findFirst({ orderBy: { id: "desc" }, select: { id: true, hash: true, at: true } }),
    client.$queryRaw<{ n: number }[]>`SELECT reltuples::float8 AS n FROM pg_class WHERE oid = '"AuditEvent"'::regclass`,
  ]);
  // reltuples is -1 until the table is first analysed.
  const estimated = estimate && estimate.n >= EXACT_COUNT_BELOW ? Math.round(estimate.n) : null;
  const count = estimated ?? (await client.auditEvent.count());
  return { count, countIsEstimate: estimated !== null, headId: head?.id.toString() ?? null, headHash: head?.hash ?? null, headAt: head?.at.getTime() ?? null };
}

/** The last `audit verify` as the page shows it, its time in epoch ms. */
export type LastAuditVerification = Omit<LastVerify, "at"> & { at: number };

export async function getLastAuditVerification(client: Db = db()): Promise<LastAuditVerification | null> {
  const last = await readLastVerify(client);
  return last && { ...last, at: Date.parse(last.at) };
}

/** Enough for months of a busy team; beyond it, continue from the JSON export's nextCursor, or archive. */
export const EXPORT_CAP = 100_000;
const EXPORT_BATCH = 1_000;

export type AuditExportFormat = "csv" | "json";

function describeFilter(filter: AuditFilter) {
  return {
    actor: filter.actor ?? null,
    action: filter.action ?? null,
    target: filter.target ?? null,
    outcome: filter.outcome ?? null,
    from: filter.from?.toISOString() ?? null,
    to: filter.to?.toISOString() ?? null,
    q: filter.q ?? null,
  };
}

/**
 * The current filter as CSV or JSON, newest first, streamed in keyset batches (each one a fast first-page
 * query) up to `cap` events. The JSON form ends with `truncated` and the `nextCursor` to continue from.
 */
export function streamAuditExport(filter: AuditFilter, scope: AuditScope, format: AuditExportFormat, options: { cap?: number; client?: Db } = {}): ReadableStream<Uint8Array> {
  const cap = options.cap ?? EXPORT_CAP;
  const client = options.client ?? db();
  const encoder = new TextEncoder();
  let cursor = filter.cursor;
  let sent = 0;
  let started = false;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        const head = format === "csv" ? CSV_COLUMNS.join(",") + "\r\n" : `{"exportedAt":${JSON.stringify(new Date().toISOString())},"filter":${JSON.stringify(describeFilter(filter))},"events":[`;
        controller.enqueue(encoder.encode(head));
        return;
      }
      if (done) return;
      const take = Math.min(EXPORT_BATCH, cap - sent);
      const page = take > 0 ? await readAuditPage({ ...filter, cursor, limit: take }, scope, client) : null;
      const events = page?.rows ?? [];
      const chunk = events
        .map((e, i) => {
          const exported = toExportedEvent(e);
          return format === "csv" ? csvLine(exported) : (sent + i === 0 ? "" : ",") + JSON.stringify(exported);
        })
        .join("");
      sent += events.length;
      cursor = page?.nextCursor ? BigInt(page.nextCursor) : undefined;
      const more = page?.nextCursor != null;
      if (chunk) controller.enqueue(encoder.encode(chunk));
      if (!more || sent >= cap) {
        done = true;
        if (format === "json") {
          const truncated = more && sent >= cap;
          controller.enqueue(encoder.encode(`],"count":${sent},"truncated":${truncated},"nextCursor":${truncated ? JSON.stringify(page!.nextCursor) : "null"}}`));
        }
        controller.close();
      }
    },
  });
}
