import { Prisma } from "../generated/prisma/client";
import type { Db, Tx } from "../db/client";
import { log } from "../log";
import { currentReleaseSql, inDeployWindowSql } from "./deploy-window";
import { alertIncidentClosed, alertIncidentOpened, describeMonitor, releaseDependents } from "./incidents";
import { maintenanceFlags } from "./maintenance";
import { enqueueAlert } from "../alerts/deliveries";
import type { CheckFacts } from "./checkers/types";
import { applyCertificates } from "./tls-expiry";

export interface CheckRecord {
  monitorId: string;
  /** When the check started. */
  at: Date;
  ok: boolean;
  latencyMs: number | null;
  detail: string;
  /** Up but slower than the monitor's threshold: the monitor becomes degraded, not up. */
  degraded?: boolean;
  /** Assertion results and certificate facts (stored as the result's facts). */
  facts?: CheckFacts | null;
}

export interface StatusChange {
  monitorId: string;
  from: string;
  to: "up" | "down" | "degraded";
  at: Date;
  incidentId: string | null;
}

/** Each monitor at most once per round, oldest first, so status updates apply in check order. */
function rounds(records: CheckRecord[]): CheckRecord[][] {
  const sorted = [...records].sort((a, b) => a.at.getTime() - b.at.getTime());
  const out: CheckRecord[][] = [];
  const seen = new Map<string, number>();
  for (const r of sorted) {
    const i = seen.get(r.monitorId) ?? 0;
    seen.set(r.monitorId, i + 1);
    (out[i] ??= []).push(r);
  }
  return out;
}

interface Enriched {
  n: bigint;
  in_window: boolean;
}

/** The bits of "CheckResultData".flags (migration 20261209100000_narrow_results). */
export const FLAG = { ok: 1, inDeployWindow: 2, inMaintenance: 4, degraded: 8 } as const;

/** The detail of a plain successful HTTP check ("HTTP 200"): not stored, the flags say as much. */
const PLAIN_UP = /^HTTP [23]\d\d$/;

/**
 * Inserts a batch of results in one statement into the narrow table (monitor and release as integer seqs,
 * latency in whole ms, the flags in one smallint, the detail unless it is the plain "HTTP 200" of an up check),
 * stamping each with its app's current release and whether the app was in a deploy window. Results of
 * monitors deleted meanwhile are dropped, not failed on.
 */
async function insertResults(tx: Tx, records: CheckRecord[], inMaintenance: boolean[]): Promise<boolean[]> {
  const rows = await tx.$queryRaw<Enriched[]>`
    WITH v AS (
      SELECT * FROM unnest(
        ${records.map((r) => r.monitorId)}::text[],
        ${records.map((r) => r.at.toISOString())}::timestamp[],
        ${records.map((r) => r.ok)}::boolean[],
        ${records.map((r) => (r.latencyMs === null ? null : Math.round(r.latencyMs)))}::int4[],
        ${records.map((r) => (r.ok && r.degraded !== true && PLAIN_UP.test(r.detail) ? null : r.detail.slice(0, 500)))}::text[],
        ${inMaintenance}::boolean[],
        ${records.map((r) => r.degraded === true)}::boolean[],
        ${records.map((r) => (r.facts ? JSON.stringify(r.facts) : null))}::text[]
      ) WITH ORDINALITY AS v(mid, at, ok, latency, detail, maint, degraded, facts, n)
    ), enriched AS (
      SELECT v.*, m.seq,
        CASE WHEN m."appId" IS NULL THEN NULL ELSE ${currentReleaseSql(Prisma.sql`m."appId"`, Prisma.sql`v.at`)} END AS release_id,
        CASE WHEN m."appId" IS NULL THEN false ELSE ${inDeployWindowSql(Prisma.sql`m."appId"`, Prisma.sql`v.at`)} END AS in_window
      FROM v JOIN "Monitor" m ON m.id = v.mid
    ), inserted AS (
      INSERT INTO "CheckResultData" ("at", "monitorSeq", "latencyMs", "releaseSeq", "flags", "detail", "facts")
      SELECT e.at, e.seq, e.latency, (SELECT r.seq FROM "Release" r WHERE r.id = e.release_id),
        (CASE WHEN e.ok THEN ${FLAG.ok} ELSE 0 END + CASE WHEN e.in_window THEN ${FLAG.inDeployWindow} ELSE 0 END
         + CASE WHEN e.maint THEN ${FLAG.inMaintenance} ELSE 0 END + CASE WHEN e.degraded AND e.ok THEN ${FLAG.degraded} ELSE 0 END)::smallint,
        e.detail, e.facts::jsonb
      FROM enriched e
    )
    SELECT n, in_window FROM enriched`;
  const inWindow: boolean[] = records.map(() => false);
  // A result in maintenance, like one in a deploy window, changes no state.
  for (const row of rows) inWindow[Number(row.n) - 1] = row.in_window || (inMaintenance[Number(row.n) - 1] ?? false);
  return inWindow;
}

interface Transition {
  id: string;
  from: string;
  to: string;
  at: Date;
}

/**
 * Moves each monitor's state: a success resets the failure count and makes it up (degraded when it was
 * slower than the monitor's threshold); the (retries + 1)-th
 * consecutive failure makes it down. Results inside a deploy window, and paused monitors, change nothing.
 */
async function applyRound(tx: Tx, round: CheckRecord[], inWindow: Map<CheckRecord, boolean>): Promise<Transition[]> {
  return tx.$queryRaw<Transition[]>`
    WITH v AS (
      SELECT * FROM unnest(
        ${round.map((r) => r.monitorId)}::text[],
        ${round.map((r) => r.at.toISOString())}::timestamp[],
        ${round.map((r) => r.ok)}::boolean[],
        ${round.map((r) => inWindow.get(r) ?? false)}::boolean[],
        ${round.map((r) => r.degraded === true)}::boolean[]
      ) AS v(mid, at, ok, win, degraded)
    )
    UPDATE "Monitor" m SET
      "lastCheckedAt" = CASE WHEN m."lastCheckedAt" IS NULL OR m."lastCheckedAt" < v.at THEN v.at ELSE m."lastCheckedAt" END,
      "consecutiveFailures" = CASE
        WHEN v.win OR m.status = 'paused' THEN m."consecutiveFailures"
        WHEN v.ok THEN 0
        ELSE m."consecutiveFailures" + 1 END,
      status = CASE
        WHEN v.win OR m.status = 'paused' THEN m.status
        WHEN v.ok AND v.degraded THEN 'degraded'::"MonitorStatus"
        WHEN v.ok THEN 'up'::"MonitorStatus"
        WHEN m."consecutiveFailures" + 1 > m.retries THEN 'down'::"MonitorStatus"
        ELSE m.status END
    FROM v JOIN "Monitor" o ON o.id = v.mid
    WHERE m.id = v.mid
    RETURNING m.id, o.status::text AS "from", m.status::text AS "to", v.at`;
}

async function openIncident(tx: Tx, monitorId: string, at: Date, detail: string): Promise<{ id: string; startedAt: Date }> {
  // The down period began with the first failure of the streak, not with the retry that confirmed it.
  const [first] = await tx.$queryRaw<{ started: Date | null }[]>`
    WITH m AS (SELECT seq FROM "Monitor" WHERE id = ${monitorId})
    SELECT min(c.at) AS started FROM "CheckResultData" c
    WHERE c."monitorSeq" = (SELECT seq FROM m) AND c.flags & ${FLAG.ok | FLAG.inDeployWindow | FLAG.inMaintenance} = 0 AND c.at <= ${at.toISOString()}::timestamp
      AND c.at > coalesce((SELECT max(k.at) FROM "CheckResultData" k
                           WHERE k."monitorSeq" = (SELECT seq FROM m) AND k.flags & ${FLAG.ok} <> 0 AND k.at <= ${at.toISOString()}::timestamp), '-infinity'::timestamp)`;
  const startedAt = first?.started ?? at;
  const incident = await tx.incident.create({ data: { monitorId, startedAt, cause: detail.slice(0, 500) } });
  return { id: incident.id, startedAt };
}

/** Ends the monitor's open incidents with their recovery alerts (none for a suppressed one) and lets its dependents alert. */
async function closeIncidents(tx: Tx, t: Transition, detail: string): Promise<string | null> {
  const closed = await tx.$queryRaw<{ id: string; startedAt: Date; suppressed: string | null }[]>`
    UPDATE "Incident" SET "endedAt" = ${t.at.toISOString()}::timestamp
    WHERE "monitorId" = ${t.id} AND "endedAt" IS NULL RETURNING id, "startedAt", suppressed`;
  for (const incident of closed) await alertIncidentClosed(tx, { ...incident, monitorId: t.id }, t.at, detail);
  await releaseDependents(tx, t.id, t.at);
  return closed[0]?.id ?? null;
}

/** An alert about the monitor with no incident: degraded (it answers, slowly), or no longer degraded. */
async function alertWithoutIncident(tx: Tx, t: Transition, event: "monitor.degraded" | "monitor.up", detail: string): Promise<void> {
  const monitor = await describeMonitor(tx, t.id);
  if (monitor) await enqueueAlert(tx, { event, monitor, at: t.at.toISOString(), detail, incident: null });
}

/**
 * What a status change sets off. Down opens an incident (from up, degraded or pending), alerted unless a
 * dependency suppresses it. Leaving down closes it with a recovery alert; arriving at degraded also says so
 * (severity degraded). Degraded back to up is a recovery alert without an incident.
 */
async function applyTransition(tx: Tx, t: Transition & { to: StatusChange["to"] }, detail: string): Promise<StatusChange | null> {
  if (t.to === "down") {
    const incident = await openIncident(tx, t.id, t.at, detail);
    await alertIncidentOpened(tx, { ...incident, monitorId: t.id }, t.at, detail);
    return { monitorId: t.id, from: t.from, to: "down", at: t.at, incidentId: incident.id };
  }
  // Pending to up is the first check: nothing to say.
  if (t.to === "up" && t.from !== "down" && t.from !== "degraded") return null;
  const incidentId = t.from === "down" ? await closeIncidents(tx, t, detail) : null;
  if (t.to === "degraded") await alertWithoutIncident(tx, t, "monitor.degraded", detail);
  else if (t.from === "degraded") await alertWithoutIncident(tx, t, "monitor.up", detail);
  return { monitorId: t.id, from: t.from, to: t.to, at: t.at, incidentId };
}

/**
 * Writes a batch of check results and everything that follows from them, in one transaction: the
 * results, each monitor's status, incidents opened and closed, and one alert per channel for each
 * incident's start and end.
 */
export async function recordCheckResults(client: Db, records: CheckRecord[]): Promise<StatusChange[]> {
  if (records.length === 0) return [];
  const detailOf = new Map<string, CheckRecord>();
  return client.$transaction(
    async (tx) => {
      const windowFlags = await insertResults(tx, records, await maintenanceFlags(tx, records));
      const inWindow = new Map(records.map((r, i) => [r, windowFlags[i] ?? false]));
      const changes: StatusChange[] = [];
      for (const round of rounds(records)) {
        for (const r of round) detailOf.set(`${r.monitorId}@${r.at.getTime()}`, r);
        const transitions = await applyRound(tx, round, inWindow);
        for (const t of transitions) {
          if (t.from === t.to || (t.to !== "up" && t.to !== "down" && t.to !== "degraded") || t.from === "paused") continue;
          const detail = detailOf.get(`${t.id}@${t.at.getTime()}`)?.detail ?? "";
          const change = await applyTransition(tx, { ...t, to: t.to }, detail);
          if (change) changes.push(change);
        }
      }
      await applyCertificates(tx, records, describeMonitor);
      if (changes.length) log.info({ changes: changes.map((c) => ({ monitorId: c.monitorId, from: c.from, to: c.to })) }, "monitor status changed");
      return changes;
    },
    { timeout: 30_000, maxWait: 10_000 },
  );
}
