import { db } from "../db/client";
import { NotFoundError } from "../errors";
import { appPublicFields } from "../apps/apps";
import { currentRelease } from "../deploy/requests";

export async function listApps() {
  const apps = await db().app.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, repoUrl: true, strategy: true, _count: { select: { targets: true } } } });
  return Promise.all(
    apps.map(async (a) => {
      const [current, last] = await Promise.all([
        currentRelease(db(), a.id),
        db().deploy.findFirst({ where: { appId: a.id }, orderBy: { createdAt: "desc" }, select: { id: true, kind: true, status: true, createdAt: true, actorLabel: true } }),
      ]);
      return { ...a, targets: a._count.targets, current, lastDeploy: last };
    }),
  );
}

export async function getApp(appId: string) {
  const app = await db().app.findUnique({ where: { id: appId }, select: appPublicFields });
  if (!app) throw new NotFoundError("App");
  const [current, active] = await Promise.all([
    currentRelease(db(), appId),
    db().deploy.findFirst({ where: { appId, status: { in: ["queued", "running"] } }, select: { id: true, kind: true, status: true, actorLabel: true } }),
  ]);
  return { ...app, current, active };
}

export async function listServerOptions() {
  return db().server.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, host: true, hostKeyStatus: true } });
}
