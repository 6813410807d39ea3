import { enqueueApprovalAlert } from "../alerts/deploy-alerts";
import type { Db, Tx } from "../db/client";
import { ConflictError, NotFoundError, ValidationError } from "../errors";
import { resolveEnvironment, type ResolvedEnvironment } from "../apps/environments";
import { checkFreeze, type FreezeOverride } from "./freezes";
import { queueDeploy, type DeployRequester } from "./lifecycle";
import { isFullSha } from "./refs";

export interface DeployRequestOptions {
  /** The exact commit to build (a push names it), so the deploy does not resolve `ref` again. */
  commit?: string;
  /** The environment's name (default production; unknown: 400 naming it). */
  environment?: string;
  /** An admin deploying into a frozen environment anyway. */
  override?: FreezeOverride | null;
  /** A promotion: the environment the commit comes from. */
  promotedFrom?: string;
}

async function targetCount(tx: Tx | Db, environment: ResolvedEnvironment): Promise<number> {
  return tx.appTarget.count({ where: { environmentId: environment.id } });
}

/**
 * The environment is resolved once, here, before anything else: the lock, the freeze and (helper A) the
 * approval policy all read this one row.
 */
export async function createDeployRequest(tx: Tx | Db, appId: string, ref: string, principal: DeployRequester, opts: DeployRequestOptions = {}) {
  const app = await tx.app.findUnique({ where: { id: appId }, select: { id: true, name: true } });
  if (!app) throw new NotFoundError("App");
  const environment = await resolveEnvironment(tx, appId, opts.environment ?? "production");
  if ((await targetCount(tx, environment)) === 0) {
    throw new ValidationError(environment.name === "production" ? `${app.name} has no target servers; add one before deploying` : `${app.name}'s ${environment.name} environment has no servers; add one before deploying`);
  }
  const freezeOverrideReason = await checkFreeze(tx, environment, principal, opts.override);
  const commit = opts.commit ?? (isFullSha(ref) ? ref : null);
  const awaitApproval = environment.requireApproval;
  const deploy = await queueDeploy(tx, { appId, appName: app.name, environment, kind: "deploy", ref, commit, releaseId: null, principal, promotedFrom: opts.promotedFrom ?? null, freezeOverrideReason, awaitApproval });
  // Waiting for another deployer: the app's deploy channels are told, with a link to where it is approved.
  if (deploy.status === "awaiting_approval") await enqueueApprovalAlert(tx, deploy.id);
  return { ...deploy, app, environment, freezeOverrideReason };
}

/** The release `current` points at in an environment (default production): the one its latest successful deploy or rollback switched to. */
export async function currentRelease(tx: Tx | Db, appId: string, environmentId?: string) {
  const last = await tx.deploy.findFirst({
    where: { appId, status: "succeeded", releaseId: { not: null }, ...(environmentId ? { environmentId } : { environment: { name: "production" } }) },
    orderBy: { finishedAt: "desc" },
    select: { release: { select: { id: true, dir: true, commit: true, createdAt: true, commitMessage: true, commitAuthor: true, committedAt: true } } },
  });
  return last?.release ?? null;
}

export async function createRollbackRequest(tx: Tx | Db, appId: string, releaseId: string | undefined, principal: DeployRequester, opts: Pick<DeployRequestOptions, "environment" | "override"> = {}) {
  const app = await tx.app.findUnique({ where: { id: appId }, select: { id: true, name: true } });
  if (!app) throw new NotFoundError("App");
  const environment = await resolveEnvironment(tx, appId, opts.environment ?? "production");
  const current = await currentRelease(tx, appId, environment.id);
  let target;
  if (releaseId) {
    target = await tx.release.findFirst({ where: { id: releaseId, appId }, select: { id: true, dir: true, commit: true, status: true, environmentId: true } });
    if (!target) throw new NotFoundError("Release");
    if (target.environmentId !== environment.id) throw new ValidationError(`releaseId: release ${target.dir} was not built for ${environment.name}; roll back to one of ${environment.name}'s releases`);
    if (target.status !== "succeeded") throw new ValidationError(`Release ${target.dir} is ${target.status}; only retained successful releases can be rolled back to`);
  } else {
    // "Previous": the newest successful release of this environment older than its current one.
    target = await tx.release.findFirst({
      where: { appId, environmentId: environment.id, status: "succeeded", ...(current ? { createdAt: { lt: current.createdAt } } : {}), NOT: current ? { id: current.id } : undefined },
      orderBy: { createdAt: "desc" },
      select: { id: true, dir: true, commit: true, status: true, environmentId: true },
    });
    if (!target) throw new ValidationError(`${app.name} has no earlier successful release in ${environment.name} to roll back to`);
  }
  if (current && current.id === target.id) throw new ValidationError(`Release ${target.dir} is already current`);
  const freezeOverrideReason = await checkFreeze(tx, environment, principal, opts.override);
  const deploy = await queueDeploy(tx, { appId, appName: app.name, environment, kind: "rollback", ref: null, commit: target.commit, releaseId: target.id, principal, freezeOverrideReason });
  return { ...deploy, app, environment, release: target, freezeOverrideReason };
}

/**
 * Promotion: deploys the exact commit current in `from` to `to` (a new release built on `to`'s servers, with
 * `to`'s variables), recorded as promoted from `from`. Refused (409) when `from` has nothing current.
 */
export async function createPromotionRequest(tx: Tx | Db, appId: string, input: { from: string; to: string; override?: FreezeOverride | null }, principal: DeployRequester) {
  if (input.from === input.to) throw new ValidationError("to: must be another environment than from");
  const from = await resolveEnvironment(tx, appId, input.from);
  const current = await currentRelease(tx, appId, from.id);
  if (!current) throw new ConflictError(`${from.name} has no current release to promote: deploy to ${from.name} first`);
  const deploy = await createDeployRequest(tx, appId, current.commit, principal, { commit: current.commit, environment: input.to, override: input.override, promotedFrom: from.name });
  return { ...deploy, from, commit: current.commit, fromRelease: current };
}
