import { randomBytes } from "node:crypto";
import { env } from "../env";
import {
  envExports,
  envFileContent,
  fetchCommand,
  healthCheckCommand,
  inDirCommand,
  linkSharedCommand,
  listReleasesCommand,
  prepareCommand,
  readCurrentCommand,
  RELEASE_DIR,
  removeCurrentCommand,
  releasesExistCommand,
  removeReleasesCommand,
  switchCommand,
  writeEnvCommand,
} from "./layout";
import { releasesToDelete } from "./plan";
import { isFullSha } from "./refs";
import { readCommitInfo, RefResolutionError, resolveRef, subjectOf, type CommitInfo, type RunGit } from "./resolve";
import { connectTarget, runRemote } from "./remote";
import { StepError, type RunContext, type StepName, type Target } from "./steps";

/** What one checklist step does on one server. Each runs inside its step (lib/deploy/steps.ts runStep). */
export type TargetStep = (ctx: RunContext, target: Target, stepId: string) => Promise<void>;

function note(ctx: RunContext, target: Target, stepId: string, text: string): void {
  ctx.sink.system(text, { stepId, serverId: target.serverId });
}

function releaseOf(ctx: RunContext) {
  if (!ctx.release) throw new Error("no release chosen for this run");
  return ctx.release;
}

async function readCurrent(ctx: RunContext, target: Target, stepId: string, signal?: AbortSignal): Promise<string | null> {
  const out = (await runRemote(ctx, target, stepId, readCurrentCommand(ctx.layout), { quiet: true, signal })).stdout.trim();
  const dir = out.replace(/^.*releases\//, "");
  return RELEASE_DIR.test(dir) ? dir : null;
}

async function switchTo(ctx: RunContext, target: Target, stepId: string, dir: string, signal?: AbortSignal): Promise<void> {
  await runRemote(ctx, target, stepId, switchCommand(ctx.layout, dir, randomBytes(6).toString("hex")), { show: `switch current → releases/${dir}`, signal });
}

async function restart(ctx: RunContext, target: Target, stepId: string, signal?: AbortSignal): Promise<void> {
  if (!ctx.app.restartCommand.trim()) return note(ctx, target, stepId, "no restart command configured");
  const command = [envExports(ctx.app.env), inDirCommand(ctx.layout.current + "/", ctx.app.restartCommand)].filter(Boolean).join("; ");
  await runRemote(ctx, target, stepId, command, { show: ctx.app.restartCommand, signal });
}

interface HealthProbe {
  ok: boolean;
  /** The attempts made and allowed, and the last answer (or failure) seen. */
  attempt: number;
  attempts: number;
  last: string;
}

/** Asks the app's health URL from the target, with the app's (else the global) attempts and delay. */
async function probeHealth(ctx: RunContext, target: Target, stepId: string, url: string, signal?: AbortSignal): Promise<HealthProbe> {
  const attempts = ctx.app.healthRetries ?? env().DECKHAND_HEALTH_RETRIES;
  const delayMs = ctx.app.healthRetryDelayMs ?? env().DECKHAND_HEALTH_RETRY_DELAY_MS;
  let last = "";
  for (let i = 1; i <= attempts; i++) {
    const result = await runRemote(ctx, target, stepId, healthCheckCommand(url, 5), { allowFailure: true, timeoutMs: 15_000, quiet: true, signal });
    if (result.exitCode === 0) return { ok: true, attempt: i, attempts, last: result.stdout.trim() || "OK" };
    last = result.stderr.trim() || `exit ${result.exitCode}`;
    note(ctx, target, stepId, `attempt ${i}/${attempts}: ${url} not healthy (${last})`);
    if (i < attempts) await new Promise((r) => setTimeout(r, delayMs));
  }
  return { ok: false, attempt: attempts, attempts, last };
}

async function healthCheck(ctx: RunContext, target: Target, stepId: string): Promise<void> {
  const url = ctx.app.healthUrl;
  if (!url) return note(ctx, target, stepId, "no health URL configured: skipped");
  const probe = await probeHealth(ctx, target, stepId, url);
  if (probe.ok) return note(ctx, target, stepId, `healthy: ${url} answered ${probe.last} (attempt ${probe.attempt}/${probe.attempts})`);
  throw new StepError(`health check failed on ${target.name} after ${probe.attempts} attempts: ${probe.last}`, true);
}

/**
 * After an automatic rollback the previous release is checked again: it was healthy when it went live, but
 * whatever broke the new one (a database migration, a shared file) may have broken it too. The rollback itself
 * stands either way; the log says which it is, so nobody assumes the site is back when it is not.
 */
async function recheckPrevious(ctx: RunContext, target: Target, stepId: string, signal: AbortSignal): Promise<void> {
  const url = ctx.app.healthUrl;
  if (!url) return;
  const probe = await probeHealth(ctx, target, stepId, url, signal);
  if (probe.ok) {
    note(ctx, target, stepId, `the previous release is healthy again: ${url} answered ${probe.last} (attempt ${probe.attempt}/${probe.attempts})`);
    return;
  }
  note(ctx, target, stepId, `${target.name}: the previous release is NOT healthy either after the rollback (${url}: ${probe.last}, ${probe.attempts} attempts); the app needs attention`);
}

function appCommand(name: "install" | "build" | "smoke"): TargetStep {
  return async (ctx, target, stepId) => {
    const command = { install: ctx.app.installCommand, build: ctx.app.buildCommand, smoke: ctx.app.smokeCommand }[name];
    if (!command.trim()) return note(ctx, target, stepId, `no ${name} command configured`);
    const release = `${ctx.layout.releases}/${releaseOf(ctx).dir}`;
    await runRemote(ctx, target, stepId, [envExports(ctx.app.env), inDirCommand(release, command)].filter(Boolean).join("; "), { show: command });
  };
}

/**
 * The one server that speaks for all: resolves the ref to a commit (once per deploy, on the first server) and
 * reads the commit's message, author and date from the fetch cache there.
 */
export async function resolveCommit(ctx: RunContext, first: Target, stepId: string): Promise<CommitInfo> {
  const run: RunGit = (command, o = {}) => runRemote(ctx, first, stepId, command, { allowFailure: true, show: o.show, timeoutMs: o.timeoutMs, quiet: o.streamErrors ? "stdout" : true });
  const asked = ctx.ref ?? ctx.commit!;
  const repo = { url: ctx.app.repoUrl, shown: ctx.app.shownRepoUrl };
  try {
    const sha = ctx.commit && isFullSha(ctx.commit) ? ctx.commit : await resolveRef(run, ctx.layout, repo, asked);
    const info = await readCommitInfo(run, ctx.layout, repo, sha, asked);
    const when = info.committedAt ? `, ${info.committedAt.toISOString().replace("T", " ").slice(0, 16)} UTC` : "";
    ctx.sink.system(`${asked === sha ? sha : `${asked} is ${sha}`}: "${subjectOf(info.message)}" by ${info.author}${when}`, { stepId });
    return info;
  } catch (err) {
    if (err instanceof RefResolutionError) throw new StepError(err.message, true);
    throw err;
  }
}

export const TARGET_STEPS: Partial<Record<StepName, TargetStep>> = {
  connect: connectTarget,
  prepare: async (ctx, target, stepId) => {
    const { layout, app } = ctx;
    await runRemote(ctx, target, stepId, prepareCommand(layout), { show: `mkdir -p ${layout.releases} ${layout.shared}` });
    await runRemote(ctx, target, stepId, writeEnvCommand(layout), { stdin: envFileContent(app.env), show: `write shared/.env (${Object.keys(app.env).length} variables, mode 0600)` });
  },
  fetch: async (ctx, target, stepId) => {
    const { commit, dir } = releaseOf(ctx);
    await runRemote(ctx, target, stepId, fetchCommand(ctx.layout, ctx.app.repoUrl, commit, dir), { show: `git fetch ${ctx.app.shownRepoUrl} ${commit.slice(0, 12)} → releases/${dir}` });
    await runRemote(ctx, target, stepId, linkSharedCommand(ctx.layout, dir));
  },
  install: appCommand("install"),
  build: appCommand("build"),
  smoke: appCommand("smoke"),
  check: async (ctx, target, stepId) => {
    const { dir } = releaseOf(ctx);
    const r = await runRemote(ctx, target, stepId, releasesExistCommand(ctx.layout, dir), { allowFailure: true, show: `test -d releases/${dir}` });
    if (r.exitCode !== 0) throw new StepError(`release ${dir} is no longer on ${target.name}`, true);
  },
  switch: async (ctx, target, stepId) => {
    target.previousCurrent = await readCurrent(ctx, target, stepId);
    // Counted as switched before the rename: a cancel (or a lost connection) while it runs cannot tell whether
    // it happened on the server, so the revert must look, not assume it did not.
    target.switched = true;
    await switchTo(ctx, target, stepId, releaseOf(ctx).dir);
  },
  restart: (ctx, target, stepId) => restart(ctx, target, stepId),
  health: healthCheck,
  revert: async (ctx, target, stepId) => {
    // Runs even after a cancel: the abort signal no longer applies to putting things back.
    const noSignal = new AbortController().signal;
    const onDisk = await readCurrent(ctx, target, stepId, noSignal);
    if (onDisk === target.previousCurrent && onDisk !== releaseOf(ctx).dir) {
      // The switch never reached the server (cancelled before its rename): nothing to put back or restart.
      note(ctx, target, stepId, onDisk ? `current is still releases/${onDisk}: nothing to put back` : "current was never created: nothing to put back");
      target.switched = false;
      return;
    }
    if (!target.previousCurrent) {
      // A first deploy: there is nothing to go back to, so `current` must not point at the failed release.
      await runRemote(ctx, target, stepId, removeCurrentCommand(ctx.layout), { show: "remove current (a first deploy has no previous release)", signal: noSignal });
      target.switched = false;
      return;
    }
    await switchTo(ctx, target, stepId, target.previousCurrent, noSignal);
    target.switched = false;
    await restart(ctx, target, stepId, noSignal);
    await recheckPrevious(ctx, target, stepId, noSignal);
  },
};

/** Which release folders on this target the cleanup removes: beyond keep-N successful, never current or the previous good one. */
export async function cleanupTarget(ctx: RunContext, target: Target, stepId: string, succeededNewestFirst: string[]): Promise<string[]> {
  const currentDir = releaseOf(ctx).dir;
  const listed = (await runRemote(ctx, target, stepId, listReleasesCommand(ctx.layout), { quiet: true })).stdout;
  const onDisk = listed
    .split("\n")
    .map((s) => s.trim())
    .filter((d) => RELEASE_DIR.test(d));
  const doomed = releasesToDelete({ onDisk, succeededNewestFirst, keep: ctx.app.keepReleases, current: currentDir, previousGood: target.previousCurrent });
  if (doomed.length === 0) {
    note(ctx, target, stepId, `nothing to clean (${onDisk.length} releases kept)`);
    return [];
  }
  await runRemote(ctx, target, stepId, removeReleasesCommand(ctx.layout, doomed), { show: `remove ${doomed.length} old release(s): ${doomed.join(" ")}` });
  return doomed;
}

/** After a failed build: the half-built folder goes from every target, best effort and outside any step. */
export async function removeHalfBuilt(ctx: RunContext): Promise<void> {
  const { dir } = releaseOf(ctx);
  await Promise.all(ctx.targets.map((t) => t.session?.exec(removeReleasesCommand(ctx.layout, [dir]), { timeoutMs: 60_000 }).catch(() => undefined)));
}
