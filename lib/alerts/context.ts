import type { Db, Tx } from "../db/client";
import type { PrecedingDeploy } from "./payload";

/** A monitor's change is put next to its app's deploys that finished this shortly before it. */
export const PRECEDING_DEPLOY_WINDOW_MS = 30 * 60_000;

/** The app's newest successful release made before `release` (before now, when null): where a rollback would go. */
export async function rollbackTarget(client: Tx | Db, appId: string, release: { id: string; createdAt: Date } | null) {
  const r = await client.release.findFirst({
    where: { appId, status: "succeeded", ...(release ? { id: { not: release.id }, createdAt: { lt: release.createdAt } } : {}) },
    orderBy: { createdAt: "desc" },
    select: { id: true, dir: true, commit: true },
  });
  return r ? { id: r.id, release: r.dir, commit: r.commit } : null;
}

/** The app's deploy or rollback that ended in the 30 minutes before `at`, if any (the newest). */
export async function precedingDeploy(client: Tx | Db, appId: string, at: Date): Promise<PrecedingDeploy | null> {
  const d = await client.deploy.findFirst({
    where: { appId, status: { in: ["succeeded", "failed", "interrupted"] }, finishedAt: { gte: new Date(at.getTime() - PRECEDING_DEPLOY_WINDOW_MS), lte: at } },
    orderBy: { finishedAt: "desc" },
    select: { id: true, kind: true, status: true, finishedAt: true, commit: true, actorLabel: true, release: { select: { id: true, dir: true, commit: true, createdAt: true } } },
  });
  if (!d?.finishedAt) return null;
  return {
    id: d.id,
    kind: d.kind,
    status: d.status,
    appId,
    finishedAt: d.finishedAt.toISOString(),
    release: d.release?.dir ?? null,
    commit: d.commit ?? d.release?.commit ?? null,
    by: d.actorLabel,
    rollbackTo: d.kind === "deploy" ? await rollbackTarget(client, appId, d.release) : null,
  };
}
