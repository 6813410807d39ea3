import type { Principal } from "../auth/roles";
import type { Db, Tx } from "../db/client";
import { ConflictError, NotFoundError, ValidationError } from "../errors";
import { isFullSha } from "./refs";

export const ACTIVE_STATUSES = ["queued", "running"] as const;

function actorFields(principal: Principal) {
  return principal.kind === "user"
    ? { userId: principal.id, tokenId: null, actorLabel: principal.email }
    : { userId: null, tokenId: principal.id, actorLabel: `token ${principal.name}` };
}

async function lockHolderMessage(tx: Tx | Db, appId: string, appName: string): Promise<ConflictError> {
  const holder = await tx.deploy.findFirst({
    where: { appId, status: { in: [...ACTIVE_STATUSES] } },
    select: { id: true, kind: true, status: true, actorLabel: true, createdAt: true },
  });
  const who = holder ? `${holder.actorLabel} (${holder.kind} ${holder.id}, ${holder.status} since ${holder.createdAt.toISOString()})` : "another request";
  return new ConflictError(`${appName} is locked: a deploy or rollback by ${who} is in progress`, holder ? { deployId: holder.id, heldBy: holder.actorLabel } : undefined);
}

/**
 * The lock is a row: a partial unique index allows one queued/running deploy per app. The insert either
 * takes it or returns nothing (ON CONFLICT DO NOTHING), so a refused request never aborts the transaction.
 */
async function insertLockedDeploy(
  tx: Tx | Db,
  data: { appId: string; appName: string; kind: "deploy" | "rollback"; ref: string | null; commit: string | null; releaseId: string | null; principal: Principal },
): Promise<{ id: string; status: "queued" }> {
  const actor = actorFields(data.principal);
  const rows = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "Deploy" ("id", "appId", "kind", "status", "ref", "commit", "releaseId", "userId", "tokenId", "actorLabel", "createdAt")
    VALUES (${crypto.randomUUID()}, ${data.appId}, ${data.kind}::"DeployKind", 'queued', ${data.ref}, ${data.commit}, ${data.releaseId},
            ${actor.userId}, ${actor.tokenId}, ${actor.actorLabel}, now())
    ON CONFLICT ("appId") WHERE "status" IN ('queued', 'running') DO NOTHING
    RETURNING "id"`;
  const row = rows[0];
  if (!row) throw await lockHolderMessage(tx, data.appId, data.appName);
  return { id: row.id, status: "queued" };
}

export async function createDeployRequest(tx: Tx | Db, appId: string, ref: string, principal: Principal) {
  const app = await tx.app.findUnique({ where: { id: appId }, select: { id: true, name: true, _count: { select: { targets: true } } } });
  if (!app) throw new NotFoundError("App");
  if (app._count.targets === 0) throw new ValidationError(`${app.name} has no target servers; add one before deploying`);
  const deploy = await insertLockedDeploy(tx, { appId, appName: app.name, kind: "deploy", ref, commit: isFullSha(ref) ? ref : null, releaseId: null, principal });
  return { ...deploy, app };
}

/** The release `current` points at: the one switched to by the app's latest successful deploy or rollback. */
export async function currentRelease(tx: Tx | Db, appId: string) {
  const last = await tx.deploy.findFirst({
    where: { appId, status: "succeeded", releaseId: { not: null } },
    orderBy: { finishedAt: "desc" },
    select: { release: { select: { id: true, dir: true, commit: true, createdAt: true } } },
  });
  return last?.release ?? null;
}

export async function createRollbackRequest(tx: Tx | Db, appId: string, releaseId: string | undefined, principal: Principal) {
  const app = await tx.app.findUnique({ where: { id: appId }, select: { id: true, name: true } });
  if (!app) throw new NotFoundError("App");
  const current = await currentRelease(tx, appId);
  let target;
  if (releaseId) {
    target = await tx.release.findFirst({ where: { id: releaseId, appId }, select: { id: true, dir: true, commit: true, status: true } });
    if (!target) throw new NotFoundError("Release");
    if (target.status !== "succeeded") throw new ValidationError(`Release ${target.dir} is ${target.status}; only retained successful releases can be rolled back to`);
  } else {
    // "Previous": the newest successful release older than the current one.
    target = await tx.release.findFirst({
      where: { appId, status: "succeeded", ...(current ? { createdAt: { lt: current.createdAt } } : {}), NOT: current ? { id: current.id } : undefined },
      orderBy: { createdAt: "desc" },
      select: { id: true, dir: true, commit: true, status: true },
    });
    if (!target) throw new ValidationError(`${app.name} has no earlier successful release to roll back to`);
  }
  if (current && current.id === target.id) throw new ValidationError(`Release ${target.dir} is already current`);
  const deploy = await insertLockedDeploy(tx, { appId, appName: app.name, kind: "rollback", ref: null, commit: target.commit, releaseId: target.id, principal });
  return { ...deploy, app, release: target };
}

/** Queued deploys end at once; running ones are told to stop (the runner aborts its current command). */
export async function requestCancel(tx: Tx | Db, deployId: string) {
  const deploy = await tx.deploy.findUnique({ where: { id: deployId }, select: { id: true, status: true, kind: true, appId: true, app: { select: { name: true } } } });
  if (!deploy) throw new NotFoundError("Deploy");
  if (deploy.status === "queued") {
    await tx.deploy.update({ where: { id: deployId }, data: { status: "cancelled", cancelRequested: true, finishedAt: new Date(), error: "cancelled before it started" } });
  } else if (deploy.status === "running") {
    await tx.deploy.update({ where: { id: deployId }, data: { cancelRequested: true } });
  } else {
    throw new ConflictError(`This ${deploy.kind} already ended (${deploy.status})`);
  }
  return deploy;
}
