import { getSessionPrincipal } from "../auth/session";
import { db } from "../db/client";

/**
 * Page titles that name the object ("checkout-api", "Deploy #12 of checkout-api"), for generateMetadata.
 * Only for a signed-in viewer (the page itself redirects anyone else); an unknown id gives null, and the
 * page then answers 404 under its generic title.
 */
async function signedIn(): Promise<boolean> {
  return (await getSessionPrincipal()) !== null;
}

export async function appTitle(appId: string): Promise<string | null> {
  if (!(await signedIn())) return null;
  const app = await db().app.findUnique({ where: { id: appId }, select: { name: true } });
  return app?.name ?? null;
}

/** "Deploy #12 of checkout-api": the deploy's place among its app's deploys and rollbacks, oldest first. */
export async function deployTitle(appId: string, deployId: string): Promise<string | null> {
  if (!(await signedIn())) return null;
  const deploy = await db().deploy.findUnique({ where: { id: deployId }, select: { appId: true, kind: true, createdAt: true, app: { select: { name: true } } } });
  if (!deploy || deploy.appId !== appId) return null;
  const number = await db().deploy.count({ where: { appId, createdAt: { lte: deploy.createdAt } } });
  return `${deploy.kind === "rollback" ? "Rollback" : "Deploy"} #${number} of ${deploy.app.name}`;
}

export async function monitorTitle(id: string): Promise<string | null> {
  if (!(await signedIn())) return null;
  const monitor = await db().monitor.findUnique({ where: { id }, select: { name: true } });
  return monitor ? `Monitor ${monitor.name}` : null;
}

export async function serverTitle(serverId: string): Promise<string | null> {
  if (!(await signedIn())) return null;
  const server = await db().server.findUnique({ where: { id: serverId }, select: { name: true } });
  return server ? `Server ${server.name}` : null;
}
