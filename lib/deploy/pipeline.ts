import type { DeployKind } from "../generated/prisma/enums";
import { releaseDirName } from "./layout";
import { cleanupTarget, removeHalfBuilt, resolveCommit, TARGET_STEPS } from "./operations";
import { rolloutBatches } from "./plan";
import { soakAndJudge } from "./verdict/soak";
import { addSteps, errorMessage, runStep, type RunContext, type StepName, type Target } from "./steps";

/**
 * The seed's checklist as Deckhand runs it, in order. A stage runs over every server at once ("each"), batch
 * after batch as the app's rollout says ("batches"), or once for the whole deploy ("once"). Every server
 * builds before any switches, so a broken build never leaves a fleet half-upgraded; a failed stage first
 * puts things back (onFailure) and then fails the run.
 */
export interface Stage {
  name: string;
  across: "each" | "batches" | "once";
  steps: StepName[];
  /** Instead of running `steps` per server: a stage with its own shape (resolving once, best-effort cleanup). */
  run?: (ctx: RunContext) => Promise<void>;
  onFailure?: (ctx: RunContext) => Promise<void>;
  onSuccess?: (ctx: RunContext) => Promise<void>;
}

export const CHECKLISTS: Record<DeployKind, Stage[]> = {
  deploy: [
    { name: "connect", across: "each", steps: ["connect"] },
    { name: "pull", across: "once", steps: ["resolve"], run: resolveRelease },
    { name: "build", across: "each", steps: ["prepare", "fetch", "install", "build", "smoke"], onFailure: abandonBuild },
    { name: "release", across: "batches", steps: ["switch", "restart", "health"], onFailure: failReleaseAndRevert, onSuccess: markReleaseSucceeded },
    { name: "cleanup", across: "each", steps: ["cleanup"], run: cleanupTargets },
    // Release verdict: only when the environment asks for one (its step is added then). After cleanup, which
    // never removes a server's previous release, so a regression can still go back to it.
    { name: "soak", across: "once", steps: [], run: soakAndJudge, onFailure: failReleaseAndRevert },
  ],
  rollback: [
    { name: "connect", across: "each", steps: ["connect"] },
    // Checked on every server before any switches: a rollback never leaves a fleet split between releases.
    { name: "check", across: "each", steps: ["check"] },
    { name: "release", across: "batches", steps: ["switch", "restart", "health"], onFailure: revertAfterFailure },
  ],
};

/** The step rows a run plans up front: stages run once belong to no server. */
export function plannedSteps(kind: DeployKind): { global: StepName[]; perServer: StepName[] } {
  const stages = CHECKLISTS[kind];
  return {
    global: stages.filter((s) => s.across === "once").flatMap((s) => s.steps),
    perServer: stages.filter((s) => s.across !== "once").flatMap((s) => s.steps),
  };
}

async function runStepsOn(ctx: RunContext, target: Target, steps: StepName[]): Promise<void> {
  for (const name of steps) {
    const work = TARGET_STEPS[name];
    if (!work) throw new Error(`no work defined for step ${name}`);
    await runStep(ctx, target, name, (stepId) => work(ctx, target, stepId));
  }
}

async function runAcross(ctx: RunContext, stage: Stage): Promise<void> {
  if (stage.run) return stage.run(ctx);
  if (stage.across === "each") {
    await Promise.all(ctx.targets.map((t) => runStepsOn(ctx, t, stage.steps)));
    return;
  }
  const batches = rolloutBatches(ctx.targets, ctx.app.strategy, ctx.app.batchSize);
  for (const [index, batch] of batches.entries()) {
    if (batches.length > 1) ctx.sink.system(`batch ${index + 1}/${batches.length}: ${batch.map((t) => t.name).join(", ")}`);
    await Promise.all(batch.map((t) => runStepsOn(ctx, t, stage.steps)));
  }
}

export async function runStage(ctx: RunContext, stage: Stage): Promise<void> {
  try {
    await runAcross(ctx, stage);
  } catch (err) {
    await stage.onFailure?.(ctx);
    throw err;
  }
  await stage.onSuccess?.(ctx);
}

/** Pull: the ref is resolved to one commit, once, and the release that will hold it is recorded. */
async function resolveRelease(ctx: RunContext): Promise<void> {
  const commit = await runStep(ctx, null, "resolve", (stepId) => resolveCommit(ctx, ctx.targets[0]!, stepId));
  const sha = commit.sha;
  const latest = await ctx.client.release.findFirst({ where: { appId: ctx.app.id }, orderBy: { dir: "desc" }, select: { dir: true } });
  const dir = releaseDirName(new Date(), sha, latest?.dir);
  const release = await ctx.client.release.create({
    data: { appId: ctx.app.id, environmentId: ctx.environmentId, commit: sha, dir, status: "building", deployId: ctx.deployId, commitMessage: commit.message, commitAuthor: commit.author, committedAt: commit.committedAt },
    select: { id: true },
  });
  await ctx.client.deploy.update({ where: { id: ctx.deployId }, data: { commit: sha, releaseId: release.id } });
  ctx.release = { id: release.id, dir, commit: sha };
}

async function setReleaseStatus(ctx: RunContext, status: "failed" | "succeeded"): Promise<void> {
  await ctx.client.release.update({ where: { id: ctx.release!.id }, data: { status } });
}

async function abandonBuild(ctx: RunContext): Promise<void> {
  await setReleaseStatus(ctx, "failed");
  await removeHalfBuilt(ctx);
}

async function markReleaseSucceeded(ctx: RunContext): Promise<void> {
  await setReleaseStatus(ctx, "succeeded");
}

async function failReleaseAndRevert(ctx: RunContext): Promise<void> {
  await setReleaseStatus(ctx, "failed");
  await revertAfterFailure(ctx);
}

/**
 * Puts every switched target back on the release it had before this run (after a failure or a cancel); a
 * target this run switched for the first time has no previous release, so its `current` is removed instead.
 */
export async function revertAfterFailure(ctx: RunContext): Promise<void> {
  const switched = ctx.targets.filter((t) => t.switched);
  const withPrevious = switched.filter((t) => t.previousCurrent).length;
  let reverted = false;
  try {
    await addSteps(ctx, switched, "revert");
    await Promise.all(switched.map((t) => runStepsOn(ctx, t, ["revert"])));
    reverted = switched.length > 0;
  } catch (err) {
    ctx.sink.system(`automatic rollback failed: ${errorMessage(err)}`);
  }
  if (!reverted) return;
  if (withPrevious > 0) {
    await ctx.client.deploy.update({ where: { id: ctx.deployId }, data: { autoRolledBack: true } });
    ctx.sink.system(`rolled ${withPrevious} target(s) back to their previous release`);
  }
  const first = switched.length - withPrevious;
  if (first > 0) ctx.sink.system(`removed current on ${first} target(s) that had no previous release`);
}

function inEnvironment(ctx: RunContext) {
  return ctx.environmentId ? { environmentId: ctx.environmentId } : {};
}

/** Cleanup keeps the N newest successful releases on each server; a server where it fails is only noted. */
async function cleanupTargets(ctx: RunContext): Promise<void> {
  // This environment's releases only: another environment's live on other servers.
  const succeeded = await ctx.client.release.findMany({ where: { appId: ctx.app.id, status: "succeeded", ...inEnvironment(ctx) }, orderBy: { createdAt: "desc" }, select: { dir: true } });
  const removed = new Set<string>();
  await Promise.all(
    ctx.targets.map((t) =>
      runStep(ctx, t, "cleanup", async (stepId) => {
        for (const dir of await cleanupTarget(
          ctx,
          t,
          stepId,
          succeeded.map((r) => r.dir),
        ))
          removed.add(dir);
      }).catch((err: unknown) => ctx.sink.system(`cleanup skipped on ${t.name}: ${errorMessage(err)}`)),
    ),
  );
  // Gone from any target means no longer retained: a rollback to it would fail its existence check.
  if (removed.size > 0) {
    await ctx.client.release.updateMany({ where: { appId: ctx.app.id, dir: { in: [...removed] }, status: "succeeded", ...inEnvironment(ctx) }, data: { status: "removed" } });
  }
}
