import { db } from "../db/client";
import type { DeployStatus } from "../generated/prisma/enums";
import { NotFoundError } from "../errors";
import { currentRelease } from "../deploy/requests";
import { isRequester } from "../deploy/approvals";
import type { Principal } from "../auth/roles";
import { resolveEnvironment } from "../apps/environments";
import { stripAnsi } from "../deploy/ansi-text";
import type { VerdictNumbers } from "../deploy/verdict/maths";

/** What a deploy's release verdict says (null: no soak ran). `numbers` adds the mode and environment it ran under. */
export interface DeployVerdictView {
  outcome: "passed" | "regressed" | "inconclusive";
  summary: string;
  numbers: (VerdictNumbers & { mode?: string; environment?: string }) | null;
}

function verdictOf(d: { verdict: DeployVerdictView["outcome"] | null; verdictSummary: string | null; verdictNumbers: unknown }): DeployVerdictView | null {
  if (!d.verdict) return null;
  return { outcome: d.verdict, summary: d.verdictSummary ?? "", numbers: (d.verdictNumbers as DeployVerdictView["numbers"]) ?? null };
}

interface StoredCommitInfo {
  commitMessage: string | null;
  commitAuthor: string | null;
  committedAt: Date | null;
}

/** A release's commit message, author and date (epoch ms), or nulls where they were not captured. */
function commitInfoOf(r: StoredCommitInfo | null | undefined) {
  return { commitMessage: r?.commitMessage ?? null, commitAuthor: r?.commitAuthor ?? null, committedAt: r?.committedAt?.getTime() ?? null };
}

export async function getDeploy(deployId: string) {
  const d = await db().deploy.findUnique({
    where: { id: deployId },
    select: {
      id: true,
      kind: true,
      status: true,
      ref: true,
      commit: true,
      releaseId: true,
      autoRolledBack: true,
      cancelRequested: true,
      error: true,
      actorLabel: true,
      createdAt: true,
      startedAt: true,
      finishedAt: true,
      logTruncated: true,
      verdict: true,
      verdictSummary: true,
      verdictNumbers: true,
      decidedByLabel: true,
      decidedAt: true,
      rejectReason: true,
      promotedFrom: true,
      freezeOverrideReason: true,
      environment: { select: { name: true } },
      app: { select: { id: true, name: true } },
      release: { select: { dir: true, commitMessage: true, commitAuthor: true, committedAt: true } },
      steps: { orderBy: { position: "asc" }, select: { id: true, name: true, status: true, exitCode: true, startedAt: true, finishedAt: true, server: { select: { id: true, name: true } } } },
    },
  });
  if (!d) throw new NotFoundError("Deploy");
  return {
    id: d.id,
    kind: d.kind,
    status: d.status,
    ref: d.ref,
    commit: d.commit,
    releaseId: d.releaseId,
    release: d.release?.dir ?? null,
    ...commitInfoOf(d.release),
    autoRolledBack: d.autoRolledBack,
    cancelRequested: d.cancelRequested,
    error: d.error,
    requestedBy: d.actorLabel,
    // Approvals: who approved or rejected it, when, and why not (null until someone decided).
    decidedBy: d.decidedByLabel,
    decidedAt: d.decidedAt?.getTime() ?? null,
    rejectReason: d.rejectReason,
    app: d.app,
    createdAt: d.createdAt.getTime(),
    startedAt: d.startedAt?.getTime() ?? null,
    finishedAt: d.finishedAt?.getTime() ?? null,
    logTruncated: d.logTruncated,
    verdict: verdictOf(d),
    environment: d.environment?.name ?? "production",
    promotedFrom: d.promotedFrom,
    freezeOverrideReason: d.freezeOverrideReason,
    steps: d.steps.map((s) => ({
      id: s.id,
      name: s.name,
      server: s.server?.name ?? null,
      serverId: s.server?.id ?? null,
      status: s.status,
      exitCode: s.exitCode,
      startedAt: s.startedAt?.getTime() ?? null,
      finishedAt: s.finishedAt?.getTime() ?? null,
    })),
  };
}
export type DeployView = Awaited<ReturnType<typeof getDeploy>>;

export async function getDeployLogText(deployId: string): Promise<string> {
  return (await getDeployLogFile(deployId, "keep")).text;
}

/**
 * A deploy's whole log in the order it arrived, as a file: ANSI colour codes kept (for `less -R`) or stripped
 * (plain text, the default download), and a file name naming the app and the deploy.
 */
export async function getDeployLogFile(deployId: string, ansi: "strip" | "keep"): Promise<{ text: string; fileName: string }> {
  const d = await db().deploy.findUnique({ where: { id: deployId }, select: { id: true, kind: true, createdAt: true, app: { select: { name: true } } } });
  if (!d) throw new NotFoundError("Deploy");
  const rows = await db().deployLog.findMany({ where: { deployId }, orderBy: { id: "asc" }, select: { text: true } });
  const text = rows.map((r) => r.text).join("");
  const when = d.createdAt.toISOString().replace(/[-:]/g, "").slice(0, 15);
  const fileName = `${d.app.name}-${d.kind}-${when}-${d.id}.log`.replace(/[^A-Za-z0-9._-]+/g, "_");
  return { text: ansi === "strip" ? stripAnsi(text) : text, fileName };
}

export interface LogChunk {
  id: string;
  stepId: string | null;
  stream: "stdout" | "stderr" | "system";
  text: string;
}

/** Log rows after a cursor: the live view polls this (any web replica can serve any deploy). */
export async function listDeployLogAfter(deployId: string, afterId: bigint, limit = 2_000): Promise<LogChunk[]> {
  const rows = await db().deployLog.findMany({
    where: { deployId, id: { gt: afterId } },
    orderBy: { id: "asc" },
    take: limit,
    select: { id: true, stepId: true, stream: true, text: true },
  });
  return rows.map((r) => ({ id: r.id.toString(), stepId: r.stepId, stream: r.stream, text: r.text }));
}

/** One environment's releases (default production): `current` is the one its `current` points at. */
export async function listReleases(appId: string, environment = "production") {
  if (!(await db().app.findUnique({ where: { id: appId }, select: { id: true } }))) throw new NotFoundError("App");
  const env = await resolveEnvironment(db(), appId, environment);
  const current = await currentRelease(db(), appId, env.id);
  const rows = await db().release.findMany({
    where: { appId, environmentId: env.id },
    orderBy: { createdAt: "desc" },
    take: 100,
    select: {
      id: true,
      commit: true,
      dir: true,
      createdAt: true,
      status: true,
      commitMessage: true,
      commitAuthor: true,
      committedAt: true,
      deploy: { select: { actorLabel: true, ref: true, status: true, promotedFrom: true } },
    },
  });
  return rows.map((r) => ({
    id: r.id,
    commit: r.commit,
    dir: r.dir,
    createdAt: r.createdAt.getTime(),
    // A release whose build was cancelled is "cancelled", not "failed" (the release row only knows it did not succeed).
    status: r.status === "failed" && r.deploy?.status === "cancelled" ? ("cancelled" as const) : r.status,
    ...commitInfoOf(r),
    current: r.id === current?.id,
    deployedBy: r.deploy?.actorLabel ?? null,
    ref: r.deploy?.ref ?? null,
    environment: env.name,
    promotedFrom: r.deploy?.promotedFrom ?? null,
  }));
}
export type ReleaseRow = Awaited<ReturnType<typeof listReleases>>[number];

export async function listDeploys(filter: { appId?: string; serverId?: string; statuses?: DeployStatus[] }, take = 50) {
  const rows = await db().deploy.findMany({
    where: { appId: filter.appId, ...(filter.serverId ? { steps: { some: { serverId: filter.serverId } } } : {}), ...(filter.statuses ? { status: { in: filter.statuses } } : {}) },
    orderBy: { createdAt: "desc" },
    take,
    select: {
      id: true,
      kind: true,
      status: true,
      ref: true,
      commit: true,
      actorLabel: true,
      createdAt: true,
      finishedAt: true,
      autoRolledBack: true,
      error: true,
      promotedFrom: true,
      freezeOverrideReason: true,
      environment: { select: { name: true } },
      app: { select: { id: true, name: true } },
      release: { select: { dir: true, commitMessage: true, commitAuthor: true, committedAt: true } },
    },
  });
  return rows.map(({ release, environment, ...d }) => ({
    ...d,
    environment: environment?.name ?? "production",
    release: release ? { dir: release.dir } : null,
    ...commitInfoOf(release),
    createdAt: d.createdAt.getTime(),
    finishedAt: d.finishedAt?.getTime() ?? null,
  }));
}
export type DeployListRow = Awaited<ReturnType<typeof listDeploys>>[number];

/** For the overview: every deploy still queued or running, across all apps, then the latest others (newest first). */
export async function listActiveAndRecentDeploys(recent = 8): Promise<{ active: number; rows: DeployListRow[] }> {
  // Requests waiting for approval are listed with the running ones (someone has to act on them), not counted as running.
  const [active, latest] = await Promise.all([listDeploys({ statuses: ["queued", "running", "awaiting_approval"] }, 50), listDeploys({}, recent)]);
  const ids = new Set(active.map((d) => d.id));
  return { active: active.filter((d) => d.status !== "awaiting_approval").length, rows: [...active, ...latest.filter((d) => !ids.has(d.id))] };
}

/** For the deploy page: whether this person asked for the deploy (and so cannot approve it). */
export async function isOwnDeployRequest(deployId: string, principal: Principal): Promise<boolean> {
  const deploy = await db().deploy.findUnique({ where: { id: deployId }, select: { userId: true, tokenId: true } });
  return deploy ? isRequester(db(), deploy, principal) : false;
}
