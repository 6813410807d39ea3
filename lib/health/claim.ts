import type PgBoss from "pg-boss";
import type { Db, Tx } from "../db/client";
import { inTransaction, QUEUES } from "../jobs/queues";
import type { MonitorCheckSpec } from "./checkers";

export interface ClaimedMonitor extends MonitorCheckSpec {
  id: string;
  /** The schedule slot this run belongs to: lag is measured from it. */
  runAt: Date;
  intervalSeconds: number;
}

/** A check fetched from its pg-boss job, held by this worker until it starts on its slot. */
export interface HeldCheck extends ClaimedMonitor {
  jobId: string;
}

/** The most monitors one claim takes, and the most check jobs one fetch takes. */
export const CLAIM_LIMIT = 2_000;

/**
 * Claims monitors whose slot falls before `horizon` and moves each one's next slot forward along its own
 * schedule (slot + interval, skipping slots missed while no worker ran), in one statement. SKIP LOCKED
 * means two workers never claim the same monitor; the advanced nextRunAt means the slot is gone for the
 * next claim, so each slot runs once whatever the number of workers. Heartbeat monitors are never claimed:
 * nothing probes them, their nextRunAt is a beat's deadline (lib/health/heartbeat.ts).
 */
export async function claimDueMonitors(client: Db | Tx, now: Date, horizon: Date, limit: number): Promise<ClaimedMonitor[]> {
  const rows = await client.$queryRaw<(Omit<ClaimedMonitor, "type"> & { type: string })[]>`
    WITH due AS (
      SELECT id, "nextRunAt" AS slot FROM "Monitor"
      WHERE "nextRunAt" <= ${horizon.toISOString()}::timestamp AND status <> 'paused' AND type <> 'heartbeat'
      ORDER BY "nextRunAt"
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    ), planned AS (
      SELECT due.id, due.slot + make_interval(secs => m."intervalSeconds" *
        floor(greatest(0, extract(epoch FROM (${now.toISOString()}::timestamp - due.slot))) / greatest(m."intervalSeconds", 1))) AS run_at
      FROM due JOIN "Monitor" m ON m.id = due.id
    )
    UPDATE "Monitor" m SET "nextRunAt" = planned.run_at + make_interval(secs => greatest(m."intervalSeconds", 1))
    FROM planned WHERE m.id = planned.id
    RETURNING m.id, m.type::text AS type, m.url, m.method, m.host, m.port, m."serverId", m.command,
      m."expectedStatus", m.keyword, m."timeoutSeconds", m."intervalSeconds", m.assertions, m."degradedAfterMs", planned.run_at AS "runAt"`;
  return rows.map((r) => ({ ...r, type: r.type as MonitorCheckSpec["type"] }));
}

/** A check as a pg-boss job: everything needed to run it, so the worker that fetches it reads nothing else. */
type CheckJob = Omit<ClaimedMonitor, "runAt"> & { runAt: string };

function toJob(m: ClaimedMonitor) {
  const { jobId: _jobId, ...spec } = m as ClaimedMonitor & { jobId?: string };
  return { name: QUEUES.check, data: { ...spec, runAt: m.runAt.toISOString() } satisfies CheckJob, startAfter: m.runAt.toISOString() };
}

/**
 * Turns the schedule into jobs: what is due within the look-ahead, once, whichever worker does it (the claim
 * and its jobs commit together). Returns how many monitors were claimed.
 */
export async function queueDueChecks(client: Db, boss: PgBoss, now: Date, lookaheadMs: number): Promise<number> {
  return client.$transaction(async (tx) => {
    const due = await claimDueMonitors(tx, now, new Date(now.getTime() + lookaheadMs), CLAIM_LIMIT);
    if (due.length) await boss.insert(due.map(toJob), { db: inTransaction(tx) });
    return due.length;
  });
}

/**
 * Up to `max` queued checks for this worker (pg-boss hands each job to one worker). Every queued check is due
 * within the look-ahead (jobs are made no earlier), so fetching ahead of startAfter only lets the local timer
 * start each exactly on its slot.
 */
export async function fetchChecks(boss: PgBoss, max: number): Promise<HeldCheck[]> {
  const jobs = await boss.fetch<CheckJob>(QUEUES.check, { batchSize: max, ignoreStartAfter: true });
  return jobs.map((j) => ({ ...j.data, runAt: new Date(j.data.runAt), jobId: j.id }));
}

/** Checks fetched but not started (on stop) go back to the queue for the other workers, on their slots. */
export async function handBackChecks(client: Db, boss: PgBoss, checks: HeldCheck[]): Promise<void> {
  if (checks.length === 0) return;
  await client.$transaction(async (tx) => {
    await boss.insert(checks.map(toJob), { db: inTransaction(tx) });
    await boss.deleteJob(
      QUEUES.check,
      checks.map((c) => c.jobId),
      { db: inTransaction(tx) },
    );
  });
}

/** The jobs of finished or dropped checks are deleted, not completed: the queue keeps only checks still to run. */
export async function deleteCheckJobs(boss: PgBoss, jobIds: string[]): Promise<void> {
  await boss.deleteJob(QUEUES.check, jobIds);
}
