import type PgBoss from "pg-boss";
import { db, type Db } from "../db/client";
import { enqueueDeploy, QUEUES, type DeployJob } from "../jobs/queues";
import { failJobs, listActiveJobs } from "../jobs/orphans";
import { log } from "../log";
import { deploysEndedBefore, findSilentDeploys, findStaleQueuedDeploys, interruptSilentDeploy } from "./lifecycle";

/**
 * A running deploy whose worker stopped reporting (killed, machine lost) becomes `interrupted`, which frees
 * its app's lock. Silence is counted on the database's clock and never from before Postgres started
 * (lib/deploy/lifecycle.ts), so a database restart alone interrupts nobody.
 */
export async function sweepInterruptedDeploys(staleSeconds: number, client: Db = db()): Promise<string[]> {
  const ended: string[] = [];
  for (const d of await findSilentDeploys(client, staleSeconds)) {
    const error = `interrupted: the worker stopped responding${d.during ? ` during ${d.during}` : ""}; current still points at a complete release`;
    if (await interruptSilentDeploy(client, d, staleSeconds, error)) {
      ended.push(d.id);
      log.warn({ deployId: d.id, app: d.app.name }, "deploy interrupted: worker stopped responding");
    }
  }
  return ended;
}

/**
 * A sweeper that itself lost the database lately interrupts nothing until `staleSeconds` after it last did:
 * the silence it sees may be the outage's, not the workers'. This covers what Postgres's start time cannot,
 * such as a failover to a standby that had been running for days, or a network cut between every worker and
 * the database. A worker that is really gone is then interrupted at most `staleSeconds` later than otherwise.
 */
export class OutageGrace {
  private lastTroubleAt: number;

  /** A worker that just started counts as having just got the database: it may be starting after an outage. */
  constructor(
    private readonly staleSeconds: number,
    startedAt = Date.now(),
  ) {
    this.lastTroubleAt = startedAt;
  }

  /** The database could not be reached (or a connection was lost) at `now`. */
  trouble(now = Date.now()): void {
    this.lastTroubleAt = now;
  }

  /** Whether silence seen at `now` can be trusted to be the worker's own. */
  mayInterrupt(now = Date.now()): boolean {
    return now - this.lastTroubleAt >= this.staleSeconds * 1000;
  }
}

/**
 * A deploy that ended while its job stayed active (its worker died; the sweeper interrupted it) has its job
 * failed, rather than left active until pg-boss's six-hour expiry (never retried: retryLimit 0). Only deploys
 * that ended over 30 s ago, so a live worker recording its own job's outcome is never overtaken.
 */
export async function failOrphanedDeployJobs(boss: PgBoss, client: Db = db()): Promise<void> {
  const active = await listActiveJobs<DeployJob>(client, QUEUES.deploy);
  const ended = new Set(
    await deploysEndedBefore(
      client,
      active.map((j) => j.data.deployId),
      30,
    ),
  );
  const orphans = active.filter((j) => ended.has(j.data.deployId)).map((j) => j.id);
  await failJobs(boss, QUEUES.deploy, orphans, "the deploy ended without its worker (interrupted)");
}

/** Queued deploys whose job went missing (a crash between commit and send) are sent again. */
export async function requeueStaleQueuedDeploys(olderThanSeconds: number, client: Db = db()): Promise<void> {
  for (const id of await findStaleQueuedDeploys(client, olderThanSeconds)) await enqueueDeploy(id);
}

/** The worker's periodic deploy recovery: interrupt the silent (unless in an outage's grace), fail orphaned jobs, re-send lost ones. */
export async function recoverDeploys(boss: PgBoss, grace: OutageGrace, staleSeconds: number, client: Db = db()): Promise<void> {
  if (grace.mayInterrupt()) await sweepInterruptedDeploys(staleSeconds, client);
  await failOrphanedDeployJobs(boss, client);
  await requeueStaleQueuedDeploys(staleSeconds, client);
}
