import { randomBytes } from "node:crypto";
import { db, type Db } from "../db/client";
import { isConnectionLoss, retryingOnConnectionLoss, retryUntil } from "../db/retry";
import { env } from "../env";
import { log } from "../log";
import { connectSsh, type SshSession } from "../ssh/connection";
import { HostKeyMismatchError, HostKeyNotPinnedError, SshCancelledError, SshCommandTimeoutError } from "../ssh/errors";
import { loadDeployableApp, type DeployableApp } from "./apps";
import {
  envExports,
  envFileContent,
  fetchCommand,
  healthCheckCommand,
  inDirCommand,
  layoutOf,
  linkSharedCommand,
  listReleasesCommand,
  prepareCommand,
  readCurrentCommand,
  releaseDirName,
  releasesExistCommand,
  removeReleasesCommand,
  resolveRefCommand,
  RELEASE_DIR,
  switchCommand,
  writeEnvCommand,
  type Layout,
} from "./layout";
import { claimDeploy, DeployHeartbeat, finishDeploy, type FinishedStatus } from "./lifecycle";
import { DeployLogSink } from "./log-sink";
import { releasesToDelete, rolloutBatches } from "./plan";
import { isFullSha, pickRefFromLsRemote } from "./refs";
import { loadSshTarget, recordHostKeyMismatch } from "./servers";

/** A step failed: its message is what the person watching the deploy reads. */
export class StepError extends Error {
  override name = "StepError";
  /** True when the message already names the step and server; otherwise `step()` prefixes them. */
  constructor(
    message: string,
    readonly selfDescribing = false,
  ) {
    super(message);
  }
}

class CancelledError extends Error {
  override name = "CancelledError";
}

/**
 * The deploy is no longer this worker's: it went silent past the stale limit (a long pause, a stalled VM, a
 * database outage) and was marked interrupted, which freed the app's lock for the next deploy. It must not
 * touch the servers or the deploy's row again.
 */
class DeployTakenError extends Error {
  override name = "DeployTakenError";
  constructor() {
    super("this deploy was marked interrupted while its worker was unresponsive; the worker stopped it");
  }
}

type StepName = "resolve" | "connect" | "prepare" | "fetch" | "install" | "build" | "smoke" | "check" | "switch" | "restart" | "health" | "cleanup" | "revert";

const DEPLOY_STEPS: StepName[] = ["connect", "prepare", "fetch", "install", "build", "smoke", "switch", "restart", "health", "cleanup"];
const ROLLBACK_STEPS: StepName[] = ["connect", "check", "switch", "restart", "health"];

interface Target {
  serverId: string;
  name: string;
  session: SshSession | null;
  steps: Map<StepName, string>;
  /** What `current` pointed at before this run switched it (null: never switched, or no previous). */
  previousCurrent: string | null;
  switched: boolean;
}

interface RunContext {
  deployId: string;
  kind: "deploy" | "rollback";
  app: DeployableApp;
  layout: Layout;
  sink: DeployLogSink;
  targets: Target[];
  abort: AbortController;
  client: Db;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function endStep(ctx: RunContext, stepId: string, data: { status: "succeeded" | "failed" | "skipped" | "cancelled"; exitCode?: number | null }) {
  await ctx.client.deployStep.update({ where: { id: stepId }, data: { status: data.status, exitCode: data.exitCode, finishedAt: new Date() } });
}

/** Runs one named step for one target (or for the whole deploy), keeping its row and the log in step. */
async function step<T>(ctx: RunContext, target: Target | null, name: StepName, body: (stepId: string) => Promise<T>, globalStepId?: string): Promise<T> {
  const stepId = target ? target.steps.get(name) : globalStepId;
  if (!stepId) throw new Error(`no step row for ${name}`);
  if (ctx.abort.signal.aborted && name !== "revert") throw new CancelledError("cancelled");
  // Fenced: a step starts only while the deploy is still running, so a worker that lost it stops here.
  const started = await ctx.client.deployStep.updateMany({ where: { id: stepId, deploy: { status: "running" } }, data: { status: "running", startedAt: new Date() } });
  if (started.count === 0) throw new DeployTakenError();
  ctx.sink.system(`▶ ${name}${target ? ` on ${target.name}` : ""}`, { stepId, serverId: target?.serverId });
  try {
    const result = await body(stepId);
    await endStep(ctx, stepId, { status: "succeeded" });
    return result;
  } catch (err) {
    const cancelled = err instanceof CancelledError || err instanceof SshCancelledError;
    await endStep(ctx, stepId, { status: cancelled ? "cancelled" : "failed" });
    ctx.sink.system(`✖ ${name}${target ? ` on ${target.name}` : ""}: ${errorMessage(err)}`, { stepId, serverId: target?.serverId });
    if (cancelled) throw new CancelledError("cancelled");
    throw err instanceof StepError && err.selfDescribing ? err : new StepError(`${name}${target ? ` on ${target.name}` : ""}: ${errorMessage(err)}`, true);
  }
}

/** Runs a remote command, streaming its output into the log; a non-zero exit fails the step. */
async function remote(
  ctx: RunContext,
  target: Target,
  stepId: string,
  command: string,
  opts: { show?: string; stdin?: string; timeoutMs?: number; signal?: AbortSignal; allowFailure?: boolean; quiet?: boolean } = {},
) {
  if (!target.session) throw new StepError(`not connected to ${target.name}`);
  if (opts.show) ctx.sink.system(`$ ${opts.show}`, { stepId, serverId: target.serverId });
  try {
    const result = await target.session.exec(command, {
      stdin: opts.stdin,
      timeoutMs: opts.timeoutMs ?? env().DECKHAND_STEP_TIMEOUT_SECONDS * 1000,
      signal: opts.signal ?? ctx.abort.signal,
      // Deckhand's own probes (readlink, ls, curl) are summarised by the caller instead of streamed.
      onOutput: opts.quiet ? undefined : (text, stream) => ctx.sink.append(stream, text, { stepId, serverId: target.serverId }),
    });
    if (result.exitCode !== 0 && !opts.allowFailure) {
      throw new StepError(`exited with ${result.exitCode ?? `signal ${result.signal}`}${result.stderr.trim() ? `: ${result.stderr.trim().split("\n").slice(-1)[0]}` : ""}`);
    }
    return result;
  } catch (err) {
    if (err instanceof SshCommandTimeoutError) throw new StepError(`timed out after ${Math.round((opts.timeoutMs ?? env().DECKHAND_STEP_TIMEOUT_SECONDS * 1000) / 1000)} s and was stopped`);
    throw err;
  }
}

async function connectTarget(ctx: RunContext, target: Target): Promise<void> {
  await step(ctx, target, "connect", async (stepId) => {
    const sshTarget = await loadSshTarget(target.serverId, ctx.client);
    try {
      target.session = await connectSsh(sshTarget, { connectTimeoutMs: env().DECKHAND_SSH_CONNECT_TIMEOUT_MS, signal: ctx.abort.signal });
    } catch (err) {
      if (err instanceof HostKeyMismatchError) {
        await recordHostKeyMismatch(target.serverId, err.presented, ctx.client);
        throw new StepError(
          `the host key of ${target.name} CHANGED (pinned ${err.expected}, presented ${err.presented}); the connection was refused before authentication. If the server was rebuilt on purpose, an admin must re-pin its key.`,
          true,
        );
      }
      if (err instanceof HostKeyNotPinnedError) throw new StepError(`${target.name} has no pinned host key; verify the connection and pin its key first`, true);
      throw err;
    }
    ctx.sink.system(`connected to ${sshTarget.username}@${sshTarget.host}:${sshTarget.port}`, { stepId, serverId: target.serverId });
  });
}

async function readCurrent(ctx: RunContext, target: Target, stepId: string): Promise<string | null> {
  const out = (await remote(ctx, target, stepId, readCurrentCommand(ctx.layout), { quiet: true })).stdout.trim();
  const dir = out.replace(/^.*releases\//, "");
  return RELEASE_DIR.test(dir) ? dir : null;
}

async function switchTo(ctx: RunContext, target: Target, stepId: string, dir: string, signal?: AbortSignal) {
  await remote(ctx, target, stepId, switchCommand(ctx.layout, dir, randomBytes(6).toString("hex")), { show: `switch current → releases/${dir}`, signal });
}

async function restart(ctx: RunContext, target: Target, stepId: string, signal?: AbortSignal) {
  if (!ctx.app.restartCommand.trim()) {
    ctx.sink.system("no restart command configured", { stepId, serverId: target.serverId });
    return;
  }
  const command = [envExports(ctx.app.env), inDirCommand(ctx.layout.current + "/", ctx.app.restartCommand)].filter(Boolean).join("; ");
  await remote(ctx, target, stepId, command, { show: ctx.app.restartCommand, signal });
}

async function healthCheck(ctx: RunContext, target: Target, stepId: string, signal?: AbortSignal) {
  const url = ctx.app.healthUrl;
  if (!url) {
    ctx.sink.system("no health URL configured: skipped", { stepId, serverId: target.serverId });
    return;
  }
  const attempts = env().DECKHAND_HEALTH_RETRIES;
  let last = "";
  for (let i = 1; i <= attempts; i++) {
    const result = await remote(ctx, target, stepId, healthCheckCommand(url, 5), { allowFailure: true, timeoutMs: 15_000, signal, quiet: true });
    if (result.exitCode === 0) {
      ctx.sink.system(`healthy: ${url} answered ${result.stdout.trim() || "OK"} (attempt ${i}/${attempts})`, { stepId, serverId: target.serverId });
      return;
    }
    last = result.stderr.trim() || `exit ${result.exitCode}`;
    ctx.sink.system(`attempt ${i}/${attempts}: ${url} not healthy (${last})`, { stepId, serverId: target.serverId });
    if (i < attempts) await new Promise((r) => setTimeout(r, env().DECKHAND_HEALTH_RETRY_DELAY_MS));
  }
  throw new StepError(`health check failed on ${target.name} after ${attempts} attempts: ${last}`, true);
}

/** Puts every switched target back on the release it had before this run; runs even after a cancel. */
async function revertSwitched(ctx: RunContext): Promise<number> {
  const switched = ctx.targets.filter((t) => t.switched && t.previousCurrent);
  const noSignal = new AbortController().signal;
  const last = await ctx.client.deployStep.aggregate({ where: { deployId: ctx.deployId }, _max: { position: true } });
  let position = (last._max.position ?? 0) + 1;
  await Promise.all(
    switched.map(async (t) => {
      const row = await ctx.client.deployStep.create({ data: { deployId: ctx.deployId, serverId: t.serverId, name: "revert", position: position++ }, select: { id: true } });
      t.steps.set("revert", row.id);
      await step(ctx, t, "revert", async (id) => {
        await switchTo(ctx, t, id, t.previousCurrent!, noSignal);
        t.switched = false;
        await restart(ctx, t, id, noSignal);
      });
    }),
  );
  return switched.length;
}

async function buildOnTarget(ctx: RunContext, target: Target, sha: string, dir: string) {
  const { app, layout } = ctx;
  const release = `${layout.releases}/${dir}`;
  const exports = envExports(app.env);
  await step(ctx, target, "prepare", async (id) => {
    await remote(ctx, target, id, prepareCommand(layout), { show: `mkdir -p ${layout.releases} ${layout.shared}` });
    await remote(ctx, target, id, writeEnvCommand(layout), { stdin: envFileContent(app.env), show: `write shared/.env (${Object.keys(app.env).length} variables, mode 0600)` });
  });
  await step(ctx, target, "fetch", async (id) => {
    await remote(ctx, target, id, fetchCommand(layout, app.repoUrl, sha, dir), { show: `git fetch ${app.repoUrl} ${sha.slice(0, 12)} → releases/${dir}` });
    await remote(ctx, target, id, linkSharedCommand(layout, dir));
  });
  for (const name of ["install", "build", "smoke"] as const) {
    const command = { install: app.installCommand, build: app.buildCommand, smoke: app.smokeCommand }[name];
    await step(ctx, target, name, async (id) => {
      if (!command.trim()) {
        ctx.sink.system(`no ${name} command configured`, { stepId: id, serverId: target.serverId });
        return;
      }
      await remote(ctx, target, id, [exports, inDirCommand(release, command)].filter(Boolean).join("; "), { show: command });
    });
  }
}

async function releaseTargets(ctx: RunContext, dir: string) {
  const batches = rolloutBatches(ctx.targets, ctx.app.strategy, ctx.app.batchSize);
  for (const [index, batch] of batches.entries()) {
    if (batches.length > 1) ctx.sink.system(`batch ${index + 1}/${batches.length}: ${batch.map((t) => t.name).join(", ")}`);
    await Promise.all(
      batch.map(async (t) => {
        await step(ctx, t, "switch", async (id) => {
          t.previousCurrent = await readCurrent(ctx, t, id);
          await switchTo(ctx, t, id, dir);
          t.switched = true;
        });
        await step(ctx, t, "restart", (id) => restart(ctx, t, id));
        await step(ctx, t, "health", (id) => healthCheck(ctx, t, id));
      }),
    );
  }
}

async function cleanupTargets(ctx: RunContext, currentDir: string) {
  const succeeded = await ctx.client.release.findMany({
    where: { appId: ctx.app.id, status: "succeeded" },
    orderBy: { createdAt: "desc" },
    select: { id: true, dir: true },
  });
  const removed = new Set<string>();
  await Promise.all(
    ctx.targets.map((t) =>
      step(ctx, t, "cleanup", async (id) => {
        const onDisk = (await remote(ctx, t, id, listReleasesCommand(ctx.layout), { quiet: true })).stdout.split("\n").map((s) => s.trim()).filter((d) => RELEASE_DIR.test(d));
        const doomed = releasesToDelete({ onDisk, succeededNewestFirst: succeeded.map((r) => r.dir), keep: ctx.app.keepReleases, current: currentDir, previousGood: t.previousCurrent });
        if (doomed.length === 0) {
          ctx.sink.system(`nothing to clean (${onDisk.length} releases kept)`, { stepId: id, serverId: t.serverId });
          return;
        }
        await remote(ctx, t, id, removeReleasesCommand(ctx.layout, doomed), { show: `remove ${doomed.length} old release(s): ${doomed.join(" ")}` });
        doomed.forEach((d) => removed.add(d));
      }).catch((err: unknown) => ctx.sink.system(`cleanup skipped on ${t.name}: ${errorMessage(err)}`)),
    ),
  );
  // Gone from any target means no longer retained: a rollback to it would fail its existence check.
  if (removed.size > 0) {
    await ctx.client.release.updateMany({ where: { appId: ctx.app.id, dir: { in: [...removed] }, status: "succeeded" }, data: { status: "removed" } });
  }
}

async function runReleasePipeline(ctx: RunContext, deploy: { ref: string | null; commit: string | null }, resolveStepId: string) {
  const first = ctx.targets[0]!;
  await Promise.all(ctx.targets.map((t) => connectTarget(ctx, t)));
  const sha = await step(
    ctx,
    null,
    "resolve",
    async (id) => {
      if (deploy.commit && isFullSha(deploy.commit)) return deploy.commit;
      const result = await remote(ctx, first, id, resolveRefCommand(ctx.app.repoUrl, deploy.ref!), { show: `git ls-remote ${ctx.app.repoUrl} ${deploy.ref}`, timeoutMs: 60_000 });
      const found = pickRefFromLsRemote(result.stdout, deploy.ref!);
      if (!found) throw new StepError(`"${deploy.ref}" is not a branch or tag of ${ctx.app.repoUrl}`, true);
      ctx.sink.system(`${deploy.ref} is ${found}`, { stepId: id });
      return found;
    },
    resolveStepId,
  );
  const dir = releaseDirName(new Date(), sha);
  const release = await ctx.client.release.create({ data: { appId: ctx.app.id, commit: sha, dir, status: "building", deployId: ctx.deployId }, select: { id: true } });
  await ctx.client.deploy.update({ where: { id: ctx.deployId }, data: { commit: sha, releaseId: release.id } });

  try {
    // Every target builds before any switches: a broken build never leaves a fleet half-upgraded.
    await Promise.all(ctx.targets.map((t) => buildOnTarget(ctx, t, sha, dir)));
  } catch (err) {
    await ctx.client.release.update({ where: { id: release.id }, data: { status: "failed" } });
    await Promise.all(ctx.targets.map((t) => t.session?.exec(removeReleasesCommand(ctx.layout, [dir]), { timeoutMs: 60_000 }).catch(() => undefined)));
    throw err;
  }
  try {
    await releaseTargets(ctx, dir);
  } catch (err) {
    await ctx.client.release.update({ where: { id: release.id }, data: { status: "failed" } });
    const reverted = await revertSwitched(ctx).catch((e: unknown) => {
      ctx.sink.system(`automatic rollback failed: ${errorMessage(e)}`);
      return 0;
    });
    if (reverted > 0) {
      await ctx.client.deploy.update({ where: { id: ctx.deployId }, data: { autoRolledBack: true } });
      ctx.sink.system(`rolled ${reverted} target(s) back to their previous release`);
    }
    throw err;
  }
  await ctx.client.release.update({ where: { id: release.id }, data: { status: "succeeded" } });
  await cleanupTargets(ctx, dir);
}

async function runRollbackPipeline(ctx: RunContext, releaseId: string) {
  const release = await ctx.client.release.findUniqueOrThrow({ where: { id: releaseId }, select: { dir: true, commit: true } });
  await Promise.all(ctx.targets.map((t) => connectTarget(ctx, t)));
  // Check on every target before switching any: a rollback never leaves a fleet split between releases.
  await Promise.all(
    ctx.targets.map((t) =>
      step(ctx, t, "check", async (id) => {
        const r = await remote(ctx, t, id, releasesExistCommand(ctx.layout, release.dir), { allowFailure: true, show: `test -d releases/${release.dir}` });
        if (r.exitCode !== 0) throw new StepError(`release ${release.dir} is no longer on ${t.name}`, true);
      }),
    ),
  );
  try {
    await releaseTargets(ctx, release.dir);
  } catch (err) {
    const reverted = await revertSwitched(ctx).catch(() => 0);
    if (reverted > 0) await ctx.client.deploy.update({ where: { id: ctx.deployId }, data: { autoRolledBack: true } });
    throw err;
  }
}

/**
 * Claims a queued deploy (exactly once, whatever the number of workers) and runs it to a terminal status.
 * Status, steps and log are written as it goes; a worker that dies leaves a stale heartbeat that the
 * sweeper turns into `interrupted`.
 */
export async function runDeploy(deployId: string, direct: Db = db()): Promise<void> {
  // A deploy's writes wait out a Postgres restart instead of failing the deploy; the heartbeat does not wait
  // (a missed beat is harmless, a queue of them is not).
  const client = retryingOnConnectionLoss(direct);
  const deploy = await claimDeploy(client, deployId);
  if (!deploy) return;
  // The sink retries its own batches (each one transaction): it writes through the plain client.
  const sink = new DeployLogSink(direct, deployId, env().DECKHAND_DEPLOY_LOG_MAX_BYTES);
  const abort = new AbortController();
  const heartbeat = new DeployHeartbeat(direct, deployId, {
    cancelRequested: () => {
      sink.system("cancel requested: stopping the running command");
      abort.abort();
    },
    taken: () => abort.abort(),
  });
  heartbeat.start();

  let ctx: RunContext | undefined;
  let status: FinishedStatus = "succeeded";
  let error: string | null = null;
  try {
    const app = await loadDeployableApp(deploy.appId, client);
    const names = await client.server.findMany({ where: { id: { in: app.serverIds } }, select: { id: true, name: true } });
    const nameOf = new Map(names.map((s) => [s.id, s.name]));
    const stepNames = deploy.kind === "deploy" ? DEPLOY_STEPS : ROLLBACK_STEPS;
    let position = 0;
    const resolveStep = deploy.kind === "deploy" ? await client.deployStep.create({ data: { deployId, name: "resolve", position: position++ }, select: { id: true } }) : null;
    // Every step of every target exists (pending) from the start, so the page shows the whole plan; one insert.
    const planned = app.serverIds.flatMap((serverId) => stepNames.map((name) => ({ deployId, serverId, name, position: position++ })));
    const rows = await client.deployStep.createManyAndReturn({ data: planned, select: { id: true, serverId: true, name: true } });
    const targets: Target[] = app.serverIds.map((serverId) => ({
      serverId,
      name: nameOf.get(serverId) ?? serverId,
      session: null,
      steps: new Map(rows.filter((r) => r.serverId === serverId).map((r) => [r.name as StepName, r.id])),
      previousCurrent: null,
      switched: false,
    }));
    ctx = { deployId, kind: deploy.kind, app, layout: layoutOf(app.deployPath), sink, targets, abort, client };
    sink.system(`${deploy.kind} of ${app.name} requested by ${deploy.actorLabel} to ${targets.length} server(s) (${app.strategy}${app.strategy === "rolling" ? `, batches of ${app.batchSize}` : ""})`);
    if (resolveStep) await runReleasePipeline(ctx, deploy, resolveStep.id);
    else await runRollbackPipeline(ctx, deploy.releaseId!);
    sink.system(`✔ ${deploy.kind} succeeded`);
  } catch (err) {
    if (err instanceof DeployTakenError) heartbeat.taken = true;
    const taken = heartbeat.taken;
    const cancelled = !taken && (err instanceof CancelledError || abort.signal.aborted);
    status = cancelled ? "cancelled" : "failed";
    error = cancelled ? "cancelled by request" : errorMessage(err);
    if (cancelled && ctx) {
      const reverted = await revertSwitched(ctx).catch(() => 0);
      if (reverted > 0) await client.deploy.update({ where: { id: deployId }, data: { autoRolledBack: true } });
    }
    if (taken) {
      log.warn({ deployId }, "deploy was interrupted while this worker was unresponsive; stopped it");
      sink.system(`✖ ${new DeployTakenError().message}`);
    } else {
      if (!(err instanceof StepError) && !cancelled) log.error({ err, deployId }, "deploy failed unexpectedly");
      sink.system(`✖ ${deploy.kind} ${status}: ${error}`);
    }
  } finally {
    heartbeat.stop();
    for (const t of ctx?.targets ?? []) t.session?.close();
    await sink.flush();
  }
  if (heartbeat.taken) return;
  // The whole transaction is repeated after any connection loss: it only finishes a deploy still running, so a
  // repeat after a commit whose answer was lost finds nothing to do.
  await retryUntil(() => finishDeploy(direct, deploy, status, error), { forMs: 30_000, retryIf: isConnectionLoss });
}
