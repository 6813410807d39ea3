import { appChannelIds } from "../alerts/routing";
import { db } from "../db/client";
import { NotFoundError } from "../errors";
import type { DeployKind, DeployStatus, RolloutStrategy } from "../generated/prisma/enums";
import { appPublicFields } from "../apps/apps";
import { maskRepoUrl } from "../apps/repo-url";
import { currentRelease } from "../deploy/requests";

export interface AppListRow {
  id: string;
  name: string;
  repoUrl: string;
  strategy: RolloutStrategy;
  /** How many servers it deploys to. */
  targets: number;
  current: { id: string; dir: string; commit: string; createdAt: number } | null;
  lastDeploy: { id: string; kind: DeployKind; status: DeployStatus; createdAt: number; actorLabel: string } | null;
}

interface AppListSqlRow {
  id: string;
  name: string;
  repoUrl: string;
  strategy: RolloutStrategy;
  targets: number;
  currentId: string | null;
  currentDir: string | null;
  currentCommit: string | null;
  currentCreatedAt: Date | null;
  lastId: string | null;
  lastKind: DeployKind | null;
  lastStatus: DeployStatus | null;
  lastCreatedAt: Date | null;
  lastActorLabel: string | null;
}

/**
 * Every app with its target count, current release and last deploy, in one statement however many apps
 * there are. "Current" is the release of the latest successful deploy, read as currentRelease
 * (lib/deploy/requests.ts) reads it for one app.
 */
export async function listApps(): Promise<AppListRow[]> {
  const rows = await db().$queryRaw<AppListSqlRow[]>`
    SELECT a."id", a."name", a."repoUrl", a."strategy"::text AS "strategy",
      (SELECT count(*)::int FROM "AppTarget" t WHERE t."appId" = a."id") AS "targets",
      cur."id" AS "currentId", cur."dir" AS "currentDir", cur."commit" AS "currentCommit", cur."createdAt" AS "currentCreatedAt",
      last."id" AS "lastId", last."kind"::text AS "lastKind", last."status"::text AS "lastStatus",
      last."createdAt" AS "lastCreatedAt", last."actorLabel" AS "lastActorLabel"
    FROM "App" a
    LEFT JOIN LATERAL (
      SELECT r."id", r."dir", r."commit", r."createdAt"
      FROM "Deploy" d JOIN "Release" r ON r."id" = d."releaseId"
      WHERE d."appId" = a."id" AND d."status" = 'succeeded'
      ORDER BY d."finishedAt" DESC LIMIT 1
    ) cur ON true
    LEFT JOIN LATERAL (
      SELECT d."id", d."kind", d."status", d."createdAt", d."actorLabel"
      FROM "Deploy" d WHERE d."appId" = a."id"
      ORDER BY d."createdAt" DESC LIMIT 1
    ) last ON true
    ORDER BY a."name" ASC`;
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    repoUrl: maskRepoUrl(r.repoUrl),
    strategy: r.strategy,
    targets: r.targets,
    current: r.currentId ? { id: r.currentId, dir: r.currentDir!, commit: r.currentCommit!, createdAt: r.currentCreatedAt!.getTime() } : null,
    lastDeploy: r.lastId ? { id: r.lastId, kind: r.lastKind!, status: r.lastStatus!, createdAt: r.lastCreatedAt!.getTime(), actorLabel: r.lastActorLabel! } : null,
  }));
}

export async function getApp(appId: string) {
  const app = await db().app.findUnique({ where: { id: appId }, select: appPublicFields });
  if (!app) throw new NotFoundError("App");
  const [current, active] = await Promise.all([currentRelease(db(), appId), db().deploy.findFirst({ where: { appId, status: { in: ["queued", "running"] } }, select: { id: true, kind: true, status: true, actorLabel: true } })]);
  return {
    ...app,
    repoUrl: maskRepoUrl(app.repoUrl),
    channelIds: await appChannelIds(db(), appId),
    createdAt: app.createdAt.getTime(),
    updatedAt: app.updatedAt.getTime(),
    secrets: app.secrets.map((s) => ({ name: s.name, updatedAt: s.updatedAt.getTime() })),
    current: current && { ...current, createdAt: current.createdAt.getTime(), committedAt: current.committedAt?.getTime() ?? null },
    active,
  };
}
export type AppView = Awaited<ReturnType<typeof getApp>>;

export async function listServerOptions() {
  return db().server.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, host: true, hostKeyStatus: true } });
}

/** The global health settings an app's empty fields fall back to (the app form shows them). */
export { appHealthDefaults } from "../apps/health-defaults";
