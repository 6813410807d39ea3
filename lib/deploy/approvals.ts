import { Prisma } from "../generated/prisma/client";
import { recordAudit } from "../audit/record";
import { principalLabel, type Principal } from "../auth/roles";
import type { Db, Tx } from "../db/client";
import { ConflictError, ForbiddenError, NotFoundError } from "../errors";
import { log } from "../log";
import { lockHolderError, transition } from "./lifecycle";

/**
 * Approvals (issue 15): a deploy to an environment with `requireApproval` is born awaiting_approval
 * (lib/deploy/lifecycle.ts queueDeploy), holds no lock and has no job. A different deployer approves it
 * (→ queued, taking the lock, and its job is sent) or rejects it (→ rejected); unanswered, it expires after the
 * environment's approvalTtlMinutes (→ expired, by the worker's cron). The requester cannot decide on their own
 * request, and a token counts as the user who created it: neither can approve what the other requested.
 */

export interface DeployEnvironment {
  id: string;
  name: string;
  requireApproval: boolean;
  approvalTtlMinutes: number;
}

const ENV_SELECT = { id: true, name: true, requireApproval: true, approvalTtlMinutes: true } as const;

/**
 * The environment a deploy goes to: the one it names (`environmentId`), else the app's `production`. The one
 * place that answers it, so environment-aware requests only change this.
 */
export async function deployEnvironment(tx: Tx | Db, appId: string, environmentId: string | null | undefined): Promise<DeployEnvironment | null> {
  if (environmentId) {
    const named = await tx.environment.findFirst({ where: { id: environmentId, appId }, select: ENV_SELECT });
    if (named) return named;
  }
  return tx.environment.findUnique({ where: { appId_name: { appId, name: "production" } }, select: ENV_SELECT });
}

/** The user a principal acts for: a user itself, a token its creator (null for a CLI-made token). */
async function personOf(tx: Tx | Db, p: { userId: string | null; tokenId: string | null }): Promise<string | null> {
  if (p.userId) return p.userId;
  if (!p.tokenId) return null;
  const token = await tx.apiToken.findUnique({ where: { id: p.tokenId }, select: { createdById: true } });
  return token?.createdById ?? null;
}

/** Whether the principal asked for this deploy, itself or through its creator (and so cannot decide on it). */
export async function isRequester(tx: Tx | Db, deploy: { userId: string | null; tokenId: string | null }, principal: Principal): Promise<boolean> {
  const decider = principal.kind === "user" ? { userId: principal.id, tokenId: null } : { userId: null, tokenId: principal.id };
  if (decider.tokenId && decider.tokenId === deploy.tokenId) return true;
  const [a, b] = await Promise.all([personOf(tx, deploy), personOf(tx, decider)]);
  return a !== null && a === b;
}

async function awaitingDeploy(tx: Tx | Db, deployId: string, principal: Principal) {
  const deploy = await tx.deploy.findUnique({
    where: { id: deployId },
    select: { id: true, kind: true, status: true, appId: true, userId: true, tokenId: true, actorLabel: true, createdAt: true, environmentId: true, app: { select: { name: true } } },
  });
  if (!deploy) throw new NotFoundError("Deploy");
  if (deploy.status !== "awaiting_approval") throw new ConflictError(`This ${deploy.kind} is not awaiting approval (it is ${deploy.status})`);
  if (await isRequester(tx, deploy, principal)) throw new ForbiddenError("you cannot approve your own deploy: another deployer must approve or reject it");
  const env = await deployEnvironment(tx, deploy.appId, deploy.environmentId);
  if (env && deploy.createdAt.getTime() + env.approvalTtlMinutes * 60_000 < Date.now()) {
    throw new ConflictError(`This request expired: it waited longer than ${env.name}'s ${env.approvalTtlMinutes} minutes`);
  }
  return { ...deploy, environment: env };
}

/**
 * awaiting_approval → queued, taking the app's lock. Held by another deploy: 409 naming the holder, and the
 * request stays awaiting (a savepoint keeps the caller's transaction usable). The caller sends the job after commit.
 */
export async function approveDeploy(tx: Tx, deployId: string, principal: Principal) {
  const deploy = await awaitingDeploy(tx, deployId, principal);
  await tx.$executeRaw`SAVEPOINT deckhand_approve`;
  let moved: boolean;
  try {
    moved = await transition(tx, deployId, { from: "awaiting_approval", to: "queued", set: Prisma.sql`"decidedByLabel" = ${principalLabel(principal)}, "decidedAt" = now()` });
  } catch (err) {
    // The partial unique index refused the second queued/running deploy of this app.
    await tx.$executeRaw`ROLLBACK TO SAVEPOINT deckhand_approve`;
    log.info({ err, deployId }, "approval refused: the app is locked");
    throw await lockHolderError(tx, deploy.appId, deploy.app.name, deploy.environment ?? { id: deploy.environmentId ?? "", name: "production" });
  }
  if (!moved) throw new ConflictError(`This ${deploy.kind} is no longer awaiting approval`);
  return deploy;
}

/** awaiting_approval → rejected, with the reason (if given) as its error. */
export async function rejectDeploy(tx: Tx, deployId: string, principal: Principal, reason: string | undefined) {
  const deploy = await awaitingDeploy(tx, deployId, principal);
  const by = principalLabel(principal);
  const error = reason ? `rejected by ${by}: ${reason}` : `rejected by ${by}`;
  const moved = await transition(tx, deployId, {
    from: "awaiting_approval",
    to: "rejected",
    set: Prisma.sql`"decidedByLabel" = ${by}, "decidedAt" = now(), "rejectReason" = ${reason ?? null}, "finishedAt" = now(), error = ${error}`,
  });
  if (!moved) throw new ConflictError(`This ${deploy.kind} is no longer awaiting approval`);
  return deploy;
}

/**
 * Requests older than their environment's approvalTtlMinutes become expired, each with its `deploy.expire`
 * audit event (actor: the system). The worker runs it every minute (pg-boss cron); `now` is explicit for tests.
 */
export async function expireApprovalRequests(client: Db, now = new Date()): Promise<number> {
  return client.$transaction(
    async (tx) => {
      const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${0x4ea1_7004}) AS locked`;
      if (!lock?.locked) return 0;
      const due = await tx.$queryRaw<{ id: string; kind: "deploy" | "rollback"; appId: string; appName: string; actorLabel: string; ttl: number; envName: string }[]>`
        SELECT d.id, d.kind::text AS kind, d."appId", a.name AS "appName", d."actorLabel", e."approvalTtlMinutes" AS ttl, e.name AS "envName"
        FROM "Deploy" d JOIN "App" a ON a.id = d."appId"
          JOIN "Environment" e ON e.id = coalesce(d."environmentId", (SELECT p.id FROM "Environment" p WHERE p."appId" = d."appId" AND p.name = 'production'))
        WHERE d.status = 'awaiting_approval' AND d."createdAt" <= ${now.toISOString()}::timestamp - make_interval(mins => e."approvalTtlMinutes")
        ORDER BY d."createdAt" LIMIT 1000`;
      let expired = 0;
      for (const d of due) {
        const error = `expired: nobody approved it within ${d.ttl} minutes`;
        const moved = await transition(tx, d.id, { from: "awaiting_approval", to: "expired", set: Prisma.sql`"finishedAt" = now(), error = ${error}` });
        if (!moved) continue;
        await recordAudit(tx, {
          actor: { kind: "system", label: "worker" },
          meta: { ip: null, userAgent: null },
          action: "deploy.expire",
          target: { type: "deploy", id: d.id, name: d.appName },
          outcome: "success",
          summary: { appId: d.appId, kind: d.kind, environment: d.envName, requestedBy: d.actorLabel, approvalTtlMinutes: d.ttl },
        });
        expired++;
      }
      if (expired) log.info({ expired }, "expired deploy requests nobody approved");
      return expired;
    },
    { timeout: 30_000, maxWait: 10_000 },
  );
}
