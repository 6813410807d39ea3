import type { DeployKind } from "../generated/prisma/enums";
import type { Db } from "../db/client";
import { isConnectionLoss, retryUntil } from "../db/retry";
import { errorReference, internalErrorMessage, isInternalError } from "../errors";
import { log } from "../log";
import { SshCancelledError, type SshSession } from "../ssh";
import type { DeployableApp } from "../apps/deployable";
import type { Layout } from "./layout";
import type { DeployLogSink } from "./log-sink";

export type StepName = "resolve" | "connect" | "prepare" | "fetch" | "install" | "build" | "smoke" | "check" | "switch" | "restart" | "health" | "cleanup" | "revert" | "soak";

/** A step failed: its message is what the person watching the deploy reads. */
export class StepError extends Error {
  override name = "StepError";
  /** True when the message already names the step and server; otherwise `runStep()` prefixes them. */
  constructor(
    message: string,
    readonly selfDescribing = false,
  ) {
    super(message);
  }
}

export class CancelledError extends Error {
  override name = "CancelledError";
}

/**
 * The deploy is no longer this worker's: it went silent past the stale limit (a long pause, a stalled VM, a
 * database outage) and was marked interrupted, which freed the app's lock for the next deploy. It must not
 * touch the servers or the deploy's row again.
 */
export class DeployTakenError extends Error {
  override name = "DeployTakenError";
  constructor() {
    super("this deploy was marked interrupted while its worker was unresponsive; the worker stopped it");
  }
}

/** One server of the run, with its connection and what this run did to its `current`. */
export interface Target {
  serverId: string;
  name: string;
  session: SshSession | null;
  steps: Map<StepName, string>;
  /** What `current` pointed at before this run switched it (null: never switched, or no previous). */
  previousCurrent: string | null;
  switched: boolean;
}

/** The release this run puts live: built by a deploy, or an earlier one a rollback switches back to. */
export interface RunRelease {
  id: string;
  dir: string;
  commit: string;
}

export interface RunContext {
  deployId: string;
  kind: DeployKind;
  /** What was asked for: a ref to resolve (deploy) or the commit it already names. */
  ref: string | null;
  commit: string | null;
  app: DeployableApp;
  /** The environment it releases to (null only for deploys older than environments: production). */
  environmentId: string | null;
  layout: Layout;
  sink: DeployLogSink;
  targets: Target[];
  /** Steps that belong to no one server (resolving the ref). */
  globalSteps: Map<StepName, string>;
  release: RunRelease | null;
  abort: AbortController;
  client: Db;
}

const internalMessages = new WeakMap<object, string>();

/**
 * What a deploy's log, its steps and its `error` say about a failure. Deckhand's own errors (a step's command
 * output, SSH, health) say it in their words; an internal one (a database or programming error: Prisma's
 * invocation text, a stack, file paths) becomes a plain sentence with a reference, and the server log gets
 * the error itself, once however often the same error is described.
 */
export function errorMessage(err: unknown): string {
  if (!isInternalError(err)) return err instanceof Error ? err.message : String(err);
  const key = typeof err === "object" && err !== null ? err : null;
  const known = key ? internalMessages.get(key) : undefined;
  if (known) return known;
  const reference = errorReference();
  log.error({ err, reference }, "internal error during a deploy");
  const message = internalErrorMessage(reference);
  if (key) internalMessages.set(key, message);
  return message;
}

/**
 * Plans the whole run as step rows in one insert, every step pending from the start so the page shows the
 * whole plan: the global steps first, then each server's in checklist order.
 */
export async function planSteps(client: Db, deployId: string, serverIds: string[], plan: { global: StepName[]; perServer: StepName[] }) {
  let position = 0;
  const rows = [...plan.global.map((name) => ({ deployId, serverId: null, name, position: position++ })), ...serverIds.flatMap((serverId) => plan.perServer.map((name) => ({ deployId, serverId, name, position: position++ })))];
  const created = await client.deployStep.createManyAndReturn({ data: rows, select: { id: true, serverId: true, name: true } });
  const byServer = (serverId: string | null) => new Map(created.filter((r) => r.serverId === serverId).map((r) => [r.name as StepName, r.id]));
  return { global: byServer(null), of: byServer };
}

/** Adds a step the plan did not have (a revert after a failure or a cancel) to these targets, after every planned one. */
export async function addSteps(ctx: RunContext, targets: Target[], name: StepName): Promise<void> {
  if (targets.length === 0) return;
  const last = await ctx.client.deployStep.aggregate({ where: { deployId: ctx.deployId }, _max: { position: true } });
  const first = (last._max.position ?? 0) + 1;
  const rows = await ctx.client.deployStep.createManyAndReturn({
    data: targets.map((t, i) => ({ deployId: ctx.deployId, serverId: t.serverId, name, position: first + i })),
    select: { id: true, serverId: true },
  });
  for (const t of targets) t.steps.set(name, rows.find((r) => r.serverId === t.serverId)!.id);
}

/** Adds a step of the whole deploy the plan did not have (the soak, when the environment asks for a verdict), after every planned one. */
export async function addGlobalStep(ctx: RunContext, name: StepName): Promise<void> {
  const last = await ctx.client.deployStep.aggregate({ where: { deployId: ctx.deployId }, _max: { position: true } });
  const row = await ctx.client.deployStep.create({ data: { deployId: ctx.deployId, serverId: null, name, position: (last._max.position ?? 0) + 1 }, select: { id: true } });
  ctx.globalSteps.set(name, row.id);
}

/**
 * Step rows are written with absolute values (this status, this time), so a write whose connection was cut
 * (Postgres restarting: it may or may not have committed) is safe to repeat; the client already waits out an
 * unreachable database. Without this a deploy running across a restart failed over a write it could redo.
 */
function repeatable<T>(write: () => Promise<T>): Promise<T> {
  return retryUntil(write, { forMs: 30_000, retryIf: isConnectionLoss });
}

async function endStep(ctx: RunContext, stepId: string, status: "succeeded" | "failed" | "cancelled") {
  await repeatable(() => ctx.client.deployStep.update({ where: { id: stepId }, data: { status, finishedAt: new Date() } }));
}

/** Runs one named step for one target (or, with null, for the whole deploy), keeping its row and the log in step. */
export async function runStep<T>(ctx: RunContext, target: Target | null, name: StepName, body: (stepId: string) => Promise<T>): Promise<T> {
  const stepId = (target ? target.steps : ctx.globalSteps).get(name);
  if (!stepId) throw new Error(`no step row for ${name}`);
  if (ctx.abort.signal.aborted && name !== "revert") throw new CancelledError("cancelled");
  // Fenced: a step starts only while the deploy is still running, so a worker that lost it stops here.
  const started = await repeatable(() => ctx.client.deployStep.updateMany({ where: { id: stepId, deploy: { status: "running" } }, data: { status: "running", startedAt: new Date() } }));
  if (started.count === 0) throw new DeployTakenError();
  const where = { stepId, serverId: target?.serverId };
  const label = `${name}${target ? ` on ${target.name}` : ""}`;
  ctx.sink.system(`▶ ${label}`, where);
  try {
    const result = await body(stepId);
    await endStep(ctx, stepId, "succeeded");
    return result;
  } catch (err) {
    const cancelled = err instanceof CancelledError || err instanceof SshCancelledError;
    await endStep(ctx, stepId, cancelled ? "cancelled" : "failed");
    ctx.sink.system(`✖ ${label}: ${errorMessage(err)}`, where);
    if (cancelled) throw new CancelledError("cancelled");
    throw err instanceof StepError && err.selfDescribing ? err : new StepError(`${label}: ${errorMessage(err)}`, true);
  }
}
