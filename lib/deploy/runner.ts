import { db, type Db } from "../db/client";
import { isConnectionLoss, retryingOnConnectionLoss, retryUntil } from "../db/retry";
import { env } from "../env";
import { log } from "../log";
import { SshCancelledError } from "../ssh";
import { loadDeployableApp } from "../apps/deployable";
import { layoutOf } from "./layout";
import { claimDeploy, DeployHeartbeat, finishDeploy, type ClaimedDeploy, type FinishedStatus } from "./lifecycle";
import { DeployLogSink } from "./log-sink";
import { CHECKLISTS, plannedSteps, revertAfterFailure, runStage } from "./pipeline";
import { CancelledError, DeployTakenError, errorMessage, planSteps, StepError, type RunContext } from "./steps";

/**
 * Claims a queued deploy (exactly once, whatever the number of workers) and runs its checklist to a terminal
 * status. Status, steps and log are written as it goes; a worker that dies leaves a stale heartbeat that the
 * recovery sweep turns into `interrupted`.
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
  let outcome: { status: FinishedStatus; error: string | null } = { status: "succeeded", error: null };
  try {
    ctx = await startRun(client, deploy, sink, abort);
    for (const stage of CHECKLISTS[deploy.kind]) await runStage(ctx, stage);
    sink.system(`✔ ${deploy.kind} succeeded`);
  } catch (err) {
    if (err instanceof DeployTakenError) heartbeat.taken = true;
    outcome = await settleFailure(ctx, sink, deploy, err, heartbeat.taken, abort.signal.aborted);
  } finally {
    heartbeat.stop();
    for (const t of ctx?.targets ?? []) t.session?.close();
    sink.endAll();
    await sink.flush();
  }
  if (heartbeat.taken) return;
  // Repeated whole after any connection loss: it only finishes a deploy still running.
  await retryUntil(() => finishDeploy(direct, deploy, outcome.status, outcome.error), { forMs: 30_000, retryIf: isConnectionLoss });
}

/** Loads what the run needs and plans every step row of every server. */
async function startRun(client: Db, deploy: ClaimedDeploy, sink: DeployLogSink, abort: AbortController): Promise<RunContext> {
  const app = await loadDeployableApp(deploy.appId, client, deploy.environmentId);
  // Before anything of this run is logged: environment values and the repository credential never reach the log.
  sink.maskSecrets(app.secretValues);
  const names = await client.server.findMany({ where: { id: { in: app.serverIds } }, select: { id: true, name: true } });
  const nameOf = new Map(names.map((s) => [s.id, s.name]));
  const steps = await planSteps(client, deploy.id, app.serverIds, plannedSteps(deploy.kind));
  const release = deploy.kind === "rollback" ? await client.release.findUniqueOrThrow({ where: { id: deploy.releaseId! }, select: { id: true, dir: true, commit: true } }) : null;
  const targets = app.serverIds.map((serverId) => ({ serverId, name: nameOf.get(serverId) ?? serverId, session: null, steps: steps.of(serverId), previousCurrent: null, switched: false }));
  sink.system(`${deploy.kind} of ${app.name} requested by ${deploy.actorLabel} to ${targets.length} server(s) (${app.strategy}${app.strategy === "rolling" ? `, batches of ${app.batchSize}` : ""})`);
  return { deployId: deploy.id, kind: deploy.kind, ref: deploy.ref, commit: deploy.commit, app, environmentId: deploy.environmentId, layout: layoutOf(app.deployPath), sink, targets, globalSteps: steps.global, release, abort, client };
}

/** What a run that threw ends as; a cancelled one first puts back any server it switched. */
async function settleFailure(ctx: RunContext | undefined, sink: DeployLogSink, deploy: ClaimedDeploy, err: unknown, taken: boolean, aborted: boolean) {
  const cancelled = !taken && (err instanceof CancelledError || err instanceof SshCancelledError || aborted);
  const status: FinishedStatus = cancelled ? "cancelled" : "failed";
  const error = cancelled ? "cancelled by request" : sink.mask(errorMessage(err));
  if (cancelled && ctx) await revertAfterFailure(ctx);
  if (taken) {
    log.warn({ deployId: deploy.id }, "deploy was interrupted while this worker was unresponsive; stopped it");
    sink.system(`✖ ${new DeployTakenError().message}`);
  } else {
    if (!(err instanceof StepError) && !cancelled) log.error({ err, deployId: deploy.id }, "deploy failed unexpectedly");
    sink.system(`✖ ${deploy.kind} ${status}: ${error}`);
  }
  return { status, error };
}
