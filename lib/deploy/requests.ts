import { enqueueApprovalAlert } from "../alerts/deploy-alerts";
import type { Db, Tx } from "../db/client";
import { NotFoundError, ValidationError } from "../errors";
import { deployEnvironment } from "./approvals";
import { queueDeploy, type DeployRequester } from "./lifecycle";
import { isFullSha } from "./refs";

/** `commit`: the exact commit to build (a push names it), so the deploy does not resolve `ref` again. */
export async function createDeployRequest(tx: Tx | Db, appId: string, ref: string, principal: DeployRequester, commit?: string) {
  const app = await tx.app.findUnique({ where: { id: appId }, select: { id: true, name: true, _count: { select: { targets: true } } } });
  if (!app) throw new NotFoundError("App");
  if (app._count.targets === 0) throw new ValidationError(`${app.name} has no target servers; add one before deploying`);
  const env = await deployEnvironment(tx, appId, null);
  const awaitApproval = env?.requireApproval ?? false;
  const deploy = await queueDeploy(tx, { appId, appName: app.name, kind: "deploy", ref, commit: commit ?? (isFullSha(ref) ? ref : null), releaseId: null, principal, environmentId: env?.id ?? null, awaitApproval });
  // Waiting for another deployer: the app's deploy channels are told, with a link to where it is approved.
  if (deploy.status === "awaiting_approval") await enqueueApprovalAlert(tx, deploy.id);
  return { ...deploy, app, environment: env?.name ?? null };
}

/** The release `current` points at: the one switched to by the app's latest successful deploy or rollback. */
export async function currentRelease(tx: Tx | Db, appId: string) {
  const last = await tx.deploy.findFirst({
    where: { appId, status: "succeeded", releaseId: { not: null } },
    orderBy: { finishedAt: "desc" },
    select: { release: { select: { id: true, dir: true, commit: true, createdAt: true, commitMessage: true, commitAuthor: true, committedAt: true } } },
  });
  return last?.release ?? null;
}

export async function createRollbackRequest(tx: Tx | Db, appId: string, releaseId: string | undefined, principal: DeployRequester) {
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
  const deploy = await queueDeploy(tx, { appId, appName: app.name, kind: "rollback", ref: null, commit: target.commit, releaseId: target.id, principal });
  return { ...deploy, app, release: target };
}
