import { Prisma } from "../generated/prisma/client";
import type { DeployKind, DeployStatus } from "../generated/prisma/enums";
import { enqueueDeployAlert } from "../alerts/deploy-alerts";
import { recordAudit } from "../audit/record";
import type { Principal } from "../auth/roles";
import type { Db, Tx } from "../db/client";
import { ConflictError, NotFoundError } from "../errors";
import type { ResolvedEnvironment } from "../apps/environments";
import { log } from "../log";

/**
 * A deploy's life, and the only place its status changes. Every change is a compare-and-set from one named
 * status to another, checked against this table before any SQL runs: a transition the table does not list is
 * a bug, refused with IllegalTransitionError. A change whose row is no longer in the expected status (another
 * worker or the sweeper got there first) simply does not happen, and the caller is told so.
 */
export const DEPLOY_TRANSITIONS: Readonly<Record<DeployStatus, readonly DeployStatus[]>> = {
  // Approvals (lib/deploy/approvals.ts): approved → queued (taking the lock), or rejected, expired, cancelled.
  awaiting_approval: ["queued", "rejected", "expired", "cancelled"],
  queued: ["running", "cancelled"],
  running: ["succeeded", "failed", "cancelled", "interrupted"],
  succeeded: [],
  failed: [],
  cancelled: [],
  interrupted: [],
  rejected: [],
  expired: [],
};

/**
 * The statuses that hold an environment's lock: the partial unique index "Deploy_one_active_per_environment"
 * (migration 20261209400000) lists the same, on (appId, environmentId).
 */
export const ACTIVE_STATUSES = ["queued", "running"] as const satisfies readonly DeployStatus[];

export type FinishedStatus = "succeeded" | "failed" | "cancelled";

export class IllegalTransitionError extends Error {
  override name = "IllegalTransitionError";
  constructor(
    readonly from: DeployStatus,
    readonly to: DeployStatus,
  ) {
    super(`a deploy cannot go from ${from} to ${to}`);
  }
}

export function assertTransition(from: DeployStatus, to: DeployStatus): void {
  if (!DEPLOY_TRANSITIONS[from].includes(to)) throw new IllegalTransitionError(from, to);
}

const dbNow = Prisma.sql`now() AT TIME ZONE 'UTC'`;

/**
 * Moves one deploy from `from` to `to` if it is still `from` (and `when` holds), setting `set` with it.
 * Returns whether it moved.
 */
export async function transition(client: Db | Tx, deployId: string, change: { from: DeployStatus; to: DeployStatus; set?: Prisma.Sql; when?: Prisma.Sql }): Promise<boolean> {
  assertTransition(change.from, change.to);
  const set = change.set ? Prisma.sql`, ${change.set}` : Prisma.empty;
  const when = change.when ? Prisma.sql` AND ${change.when}` : Prisma.empty;
  const moved = await client.$executeRaw`
    UPDATE "Deploy" SET status = ${change.to}::"DeployStatus"${set}
    WHERE id = ${deployId} AND status = ${change.from}::"DeployStatus"${when}`;
  return moved > 0;
}

// ── queue ────────────────────────────────────────────────────────────────────────────────────────────────

/** Who asks for a deploy: a signed-in user or token, or Deckhand itself on a provider's behalf ("webhook:github"). */
export type DeployRequester = Principal | { kind: "system"; label: string };

function actorFields(principal: DeployRequester) {
  if (principal.kind === "system") return { userId: null, tokenId: null, actorLabel: principal.label };
  return principal.kind === "user" ? { userId: principal.id, tokenId: null, actorLabel: principal.email } : { userId: null, tokenId: principal.id, actorLabel: `token ${principal.name}` };
}

export async function lockHolderError(tx: Tx | Db, appId: string, appName: string, environment: { id: string; name: string }): Promise<ConflictError> {
  const holder = await tx.deploy.findFirst({
    where: { appId, environmentId: environment.id, status: { in: [...ACTIVE_STATUSES] } },
    select: { id: true, kind: true, status: true, actorLabel: true, createdAt: true },
  });
  const who = holder ? `${holder.actorLabel} (${holder.kind} ${holder.id}, ${holder.status} since ${holder.createdAt.toISOString()})` : "another request";
  const what = environment.name === "production" ? appName : `${appName} (${environment.name})`;
  return new ConflictError(`${what} is locked: a deploy or rollback by ${who} is in progress`, holder ? { deployId: holder.id, heldBy: holder.actorLabel } : undefined);
}

export interface QueueDeployInput {
  appId: string;
  appName: string;
  /** The environment it releases to, resolved once by the caller (lib/apps/environments.ts resolveEnvironment). */
  environment: ResolvedEnvironment;
  kind: DeployKind;
  ref: string | null;
  commit: string | null;
  releaseId: string | null;
  principal: DeployRequester;
  /** A promotion: the environment whose current commit this deploys. */
  promotedFrom?: string | null;
  /** An admin's reason for deploying into a frozen environment. */
  freezeOverrideReason?: string | null;
  /** The environment requires approval: born awaiting_approval, holding no lock (lib/deploy/approvals.ts). */
  awaitApproval?: boolean;
}

/**
 * A deploy is born queued. The lock is a row: a partial unique index allows one queued/running deploy per
 * environment of an app, so the insert either takes it or returns nothing (ON CONFLICT DO NOTHING) and a
 * refused request never aborts the caller's transaction. One to an environment that requires approval
 * (`awaitApproval`) is born awaiting_approval instead: it takes no lock and no job is sent until it is approved
 * (lib/deploy/approvals.ts).
 */
export async function queueDeploy(tx: Tx | Db, data: QueueDeployInput): Promise<{ id: string; status: "queued" | "awaiting_approval" }> {
  const actor = actorFields(data.principal);
  if (data.awaitApproval) {
    const id = crypto.randomUUID();
    await tx.$executeRaw`
      INSERT INTO "Deploy" ("id", "appId", "environmentId", "kind", "status", "ref", "commit", "releaseId", "userId", "tokenId", "actorLabel", "promotedFrom", "freezeOverrideReason", "createdAt")
      VALUES (${id}, ${data.appId}, ${data.environment.id}, ${data.kind}::"DeployKind", 'awaiting_approval', ${data.ref}, ${data.commit}, ${data.releaseId},
              ${actor.userId}, ${actor.tokenId}, ${actor.actorLabel}, ${data.promotedFrom ?? null}, ${data.freezeOverrideReason ?? null}, now())`;
    return { id, status: "awaiting_approval" };
  }
  const rows = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "Deploy" ("id", "appId", "environmentId", "kind", "status", "ref", "commit", "releaseId", "userId", "tokenId", "actorLabel", "promotedFrom", "freezeOverrideReason", "createdAt")
    VALUES (${crypto.randomUUID()}, ${data.appId}, ${data.environment.id}, ${data.kind}::"DeployKind", 'queued', ${data.ref}, ${data.commit}, ${data.releaseId},
            ${actor.userId}, ${actor.tokenId}, ${actor.actorLabel}, ${data.promotedFrom ?? null}, ${data.freezeOverrideReason ?? null}, now())
    ON CONFLICT ("appId", "environmentId") WHERE "status" IN ('queued', 'running') DO NOTHING
    RETURNING "id"`;
  const row = rows[0];
  if (!row) throw await lockHolderError(tx, data.appId, data.appName, data.environment);
  return { id: row.id, status: "queued" };
}

/** Queued deploys whose job went missing (a crash between commit and send), so they can be sent again. */
export async function findStaleQueuedDeploys(client: Db, olderThanSeconds: number): Promise<string[]> {
  const rows = await client.deploy.findMany({ where: { status: "queued", createdAt: { lt: new Date(Date.now() - olderThanSeconds * 1000) } }, select: { id: true } });
  return rows.map((r) => r.id);
}

// ── claim and run ────────────────────────────────────────────────────────────────────────────────────────

export interface ClaimedDeploy {
  id: string;
  kind: DeployKind;
  ref: string | null;
  commit: string | null;
  releaseId: string | null;
  appId: string;
  environmentId: string | null;
  actorLabel: string;
}

/**
 * queued → running, exactly once whatever the number of workers. The first heartbeat is stamped with the
 * claim, on the database's clock like every later beat (the sweeper compares on it). Null: not ours to run.
 */
export async function claimDeploy(client: Db, deployId: string): Promise<ClaimedDeploy | null> {
  const claimed = await transition(client, deployId, { from: "queued", to: "running", set: Prisma.sql`"startedAt" = ${dbNow}, "heartbeatAt" = ${dbNow}` });
  if (!claimed) return null;
  return client.deploy.findUniqueOrThrow({ where: { id: deployId }, select: { id: true, kind: true, ref: true, commit: true, releaseId: true, appId: true, environmentId: true, actorLabel: true } });
}

/** A heartbeat unanswered this long is given up on (left to finish or fail) and the next one is sent. */
const BEAT_STUCK_MS = 4_000;

/**
 * A running deploy's pulse, once a second, stamped with the database's clock so workers' clocks never matter.
 * Each beat also reads the deploy's fate: a cancel someone requested, or the deploy taken from this worker
 * (interrupted by a sweeper while the worker was silent). One beat at a time: while the database is away a
 * beat waits and later ones are skipped, not queued; but a beat stuck longer than BEAT_STUCK_MS (a half-dead
 * pooled connection) no longer holds the next one back.
 */
export class DeployHeartbeat {
  private timer: NodeJS.Timeout | undefined;
  private beatStartedAt: number | null = null;
  private cancelSeen = false;
  /** The deploy is no longer this worker's: it must not touch the servers or the row again. */
  taken = false;

  constructor(
    private readonly client: Db,
    private readonly deployId: string,
    private readonly on: { cancelRequested(): void; taken(): void },
    private readonly everyMs = 1_000,
  ) {}

  start(): void {
    this.beat();
    this.timer = setInterval(() => this.beat(), this.everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private beat(): void {
    if (this.beatStartedAt !== null && Date.now() - this.beatStartedAt < BEAT_STUCK_MS) return;
    const started = Date.now();
    this.beatStartedAt = started;
    this.client.$queryRaw<{ cancelRequested: boolean }[]>`
        UPDATE "Deploy" SET "heartbeatAt" = ${dbNow}
        WHERE id = ${this.deployId} AND status = 'running' RETURNING "cancelRequested"`
      .then((rows) => {
        if (rows.length === 0) {
          if (!this.taken) {
            this.taken = true;
            this.on.taken();
          }
        } else if (rows[0]!.cancelRequested && !this.cancelSeen) {
          this.cancelSeen = true;
          this.on.cancelRequested();
        }
      })
      .catch((err: unknown) => log.warn({ err, deployId: this.deployId }, "heartbeat failed"))
      .finally(() => {
        if (this.beatStartedAt === started) this.beatStartedAt = null;
      });
  }
}

/** Queued deploys (and requests awaiting approval) end at once; running ones are told to stop (their heartbeat reads the request). */
export async function requestCancel(tx: Tx | Db, deployId: string) {
  const deploy = await tx.deploy.findUnique({ where: { id: deployId }, select: { id: true, status: true, kind: true, appId: true, app: { select: { name: true } } } });
  if (!deploy) throw new NotFoundError("Deploy");
  const waiting = deploy.status === "queued" || deploy.status === "awaiting_approval";
  const ended = waiting && (await transition(tx, deployId, { from: deploy.status, to: "cancelled", set: Prisma.sql`"cancelRequested" = true, "finishedAt" = ${dbNow}, error = 'cancelled before it started'` }));
  if (!ended) {
    const flagged = await tx.deploy.updateMany({ where: { id: deployId, status: "running" }, data: { cancelRequested: true } });
    if (flagged.count === 0) {
      const now = await tx.deploy.findUniqueOrThrow({ where: { id: deployId }, select: { status: true } });
      throw new ConflictError(`This ${deploy.kind} already ended (${now.status})`);
    }
  }
  return deploy;
}

/** A queued deploy replaced by a newer request (a newer push): it ends cancelled, with the reason as its error. */
export async function supersedeQueued(tx: Tx | Db, deployId: string, reason: string): Promise<boolean> {
  return transition(tx, deployId, { from: "queued", to: "cancelled", set: Prisma.sql`"cancelRequested" = true, "finishedAt" = ${dbNow}, error = ${reason}` });
}

// ── finish ───────────────────────────────────────────────────────────────────────────────────────────────

interface FinishAudit {
  deployId: string;
  kind: DeployKind;
  appId: string;
  appName: string;
  requestedBy: string;
  status: FinishedStatus | "interrupted";
  error: string | null;
  extra?: Record<string, unknown>;
}

/** `<kind>.finish`, recorded by the worker in the same transaction as the status it names. */
async function recordFinish(tx: Tx, a: FinishAudit): Promise<void> {
  await recordAudit(tx, {
    actor: { kind: "system", label: "worker" },
    meta: { ip: null, userAgent: null },
    action: `${a.kind}.finish`,
    target: { type: "deploy", id: a.deployId, name: a.appName },
    outcome: a.status === "succeeded" ? "success" : "failure",
    summary: { appId: a.appId, status: a.status, ...a.extra, requestedBy: a.requestedBy, error: a.error },
  });
}

/**
 * running → succeeded | failed | cancelled, with its steps closed, its audit event and its alert. Only a deploy still
 * running is finished: one the sweeper interrupted already has its end and its event, so a repeat (after a
 * commit whose answer was lost) finds nothing to do.
 */
export async function finishDeploy(client: Db, deploy: ClaimedDeploy, status: FinishedStatus, error: string | null): Promise<void> {
  await client.$transaction(async (tx) => {
    const ended = await transition(tx, deploy.id, { from: "running", to: status, set: Prisma.sql`error = ${error}, "finishedAt" = ${dbNow}` });
    if (!ended) return;
    await tx.deployStep.updateMany({ where: { deployId: deploy.id, status: { in: ["pending", "running"] } }, data: { status: status === "succeeded" ? "skipped" : "cancelled" } });
    const finished = await tx.deploy.findUniqueOrThrow({ where: { id: deploy.id }, select: { autoRolledBack: true, commit: true, releaseId: true, app: { select: { id: true, name: true } } } });
    await recordFinish(tx, {
      deployId: deploy.id,
      kind: deploy.kind,
      appId: finished.app.id,
      appName: finished.app.name,
      requestedBy: deploy.actorLabel,
      status,
      error,
      extra: { commit: finished.commit, releaseId: finished.releaseId, autoRolledBack: finished.autoRolledBack },
    });
    await enqueueDeployAlert(tx, deploy.id);
  });
}

// ── interrupt ────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Silence is measured on the database's clock, and never from before the database itself started: no worker
 * can report while Postgres is down, so after a restart every worker gets a full `staleSeconds` to report
 * again before its deploy is given up.
 */
function silentFor(staleSeconds: number): Prisma.Sql {
  return Prisma.sql`greatest("heartbeatAt", pg_postmaster_start_time() AT TIME ZONE 'UTC') < ${dbNow} - make_interval(secs => ${staleSeconds}::float8)`;
}

export interface SilentDeploy {
  id: string;
  kind: DeployKind;
  actorLabel: string;
  app: { id: string; name: string };
  /** The step it was in when its worker went quiet, for the message. */
  during: string | null;
}

/** Running deploys whose worker has said nothing for `staleSeconds`. */
export async function findSilentDeploys(client: Db, staleSeconds: number): Promise<SilentDeploy[]> {
  const silent = await client.$queryRaw<{ id: string }[]>`SELECT id FROM "Deploy" WHERE status = 'running' AND ${silentFor(staleSeconds)}`;
  if (silent.length === 0) return [];
  const rows = await client.deploy.findMany({
    where: { id: { in: silent.map((r) => r.id) }, status: "running" },
    select: {
      id: true,
      kind: true,
      actorLabel: true,
      app: { select: { id: true, name: true } },
      steps: { where: { status: "running" }, orderBy: { position: "desc" }, take: 1, select: { name: true, server: { select: { name: true } } } },
    },
  });
  return rows.map(({ steps, ...d }) => {
    const step = steps[0];
    return { ...d, during: step ? `${step.name}${step.server ? ` on ${step.server.name}` : ""}` : null };
  });
}

/**
 * running → interrupted (with its audit event and alert), if it is still silent: a beat that landed since the look keeps its deploy alive.
 * That ends its row lock. `current` needs no repair: it only ever moves by an atomic rename to a complete
 * release. Returns whether it was interrupted.
 */
export async function interruptSilentDeploy(client: Db, deploy: SilentDeploy, staleSeconds: number, error: string): Promise<boolean> {
  return client.$transaction(async (tx) => {
    const moved = await transition(tx, deploy.id, { from: "running", to: "interrupted", set: Prisma.sql`"finishedAt" = ${dbNow}, error = ${error}`, when: silentFor(staleSeconds) });
    if (!moved) return false;
    await tx.deployStep.updateMany({ where: { deployId: deploy.id, status: { in: ["pending", "running"] } }, data: { status: "cancelled", finishedAt: new Date() } });
    await tx.release.updateMany({ where: { deployId: deploy.id, status: "building" }, data: { status: "failed" } });
    await tx.deployLog.create({ data: { deployId: deploy.id, stream: "system", text: `✖ ${error}\n` } });
    await recordFinish(tx, { deployId: deploy.id, kind: deploy.kind, appId: deploy.app.id, appName: deploy.app.name, requestedBy: deploy.actorLabel, status: "interrupted", error });
    await enqueueDeployAlert(tx, deploy.id);
    return true;
  });
}

/** Of these deploys, the ones that ended more than `seconds` ago (their job, if still active, is an orphan). */
export async function deploysEndedBefore(client: Db, deployIds: string[], seconds: number): Promise<string[]> {
  if (deployIds.length === 0) return [];
  const rows = await client.$queryRaw<{ id: string }[]>`
    SELECT id FROM "Deploy" WHERE id IN (${Prisma.join(deployIds)}) AND status NOT IN ('queued', 'running')
      AND "finishedAt" < ${dbNow} - make_interval(secs => ${seconds}::float8)`;
  return rows.map((r) => r.id);
}
