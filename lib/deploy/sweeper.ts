import { Prisma } from "../generated/prisma/client";
import { db, type Db } from "../db/client";
import { recordAudit } from "../audit/record";
import { log } from "../log";

/**
 * A running deploy whose worker stopped reporting (killed, machine lost) becomes `interrupted`; that
 * ends its row lock, since the lock only covers queued and running deploys. `current` needs no repair:
 * it only ever moves by an atomic rename to a complete release.
 *
 * Silence is measured on the database's clock, and never from before the database itself started: no
 * worker can report while Postgres is down, so after a restart (or a managed failover that restarts it)
 * every worker gets a full `staleSeconds` to report again before its deploy is given up.
 */
export async function sweepInterruptedDeploys(staleSeconds: number, client: Db = db()): Promise<string[]> {
  const silentFor = Prisma.sql`greatest("heartbeatAt", pg_postmaster_start_time() AT TIME ZONE 'UTC')
    < (now() AT TIME ZONE 'UTC') - make_interval(secs => ${staleSeconds}::float8)`;
  const silent = await client.$queryRaw<{ id: string }[]>`SELECT id FROM "Deploy" WHERE status = 'running' AND ${silentFor}`;
  if (silent.length === 0) return [];
  const stale = await client.deploy.findMany({
    where: { id: { in: silent.map((r) => r.id) }, status: "running" },
    select: { id: true, kind: true, actorLabel: true, app: { select: { id: true, name: true } } },
  });
  const ended: string[] = [];
  for (const d of stale) {
    const step = await client.deployStep.findFirst({ where: { deployId: d.id, status: "running" }, orderBy: { position: "desc" }, select: { name: true, server: { select: { name: true } } } });
    const where = step ? ` during ${step.name}${step.server ? ` on ${step.server.name}` : ""}` : "";
    const error = `interrupted: the worker stopped responding${where}; current still points at a complete release`;
    const done = await client.$transaction(async (tx) => {
      // Still running and still silent: a beat that landed since the look above keeps its deploy alive.
      const updated = await tx.$executeRaw`
        UPDATE "Deploy" SET status = 'interrupted', "finishedAt" = now() AT TIME ZONE 'UTC', error = ${error}
        WHERE id = ${d.id} AND status = 'running' AND ${silentFor}`;
      if (updated === 0) return false;
      await tx.deployStep.updateMany({ where: { deployId: d.id, status: { in: ["pending", "running"] } }, data: { status: "cancelled", finishedAt: new Date() } });
      await tx.release.updateMany({ where: { deployId: d.id, status: "building" }, data: { status: "failed" } });
      await tx.deployLog.create({ data: { deployId: d.id, stream: "system", text: `✖ ${error}\n` } });
      await recordAudit(tx, {
        actor: { kind: "system", label: "worker" },
        meta: { ip: null, userAgent: null },
        action: `${d.kind}.finish`,
        target: { type: "deploy", id: d.id, name: d.app.name },
        outcome: "failure",
        summary: { appId: d.app.id, status: "interrupted", requestedBy: d.actorLabel, error },
      });
      return true;
    });
    if (done) {
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

/** Queued deploys whose job went missing (a crash between commit and send) are sent again. */
export async function staleQueuedDeploys(olderThanSeconds: number, client: Db = db()): Promise<string[]> {
  const rows = await client.deploy.findMany({ where: { status: "queued", createdAt: { lt: new Date(Date.now() - olderThanSeconds * 1000) } }, select: { id: true } });
  return rows.map((r) => r.id);
}
