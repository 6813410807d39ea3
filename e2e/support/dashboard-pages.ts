import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import type { Db } from "../../lib/db/client";

/** Where the dashboard's pages live: the sweeps find them here, so a new page is swept without being listed. */
export const DASHBOARD = path.join(import.meta.dirname, "..", "..", "app", "(dashboard)");

/** Every page route under `dir` ("/", "/apps/[appId]", …), sorted. */
export function pagesUnder(dir: string = DASHBOARD, prefix = ""): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    // A route group, "(overview)", is no part of the URL.
    if (statSync(full).isDirectory()) out.push(...pagesUnder(full, /^\(.+\)$/.test(name) ? prefix : `${prefix}/${name}`));
    else if (name === "page.tsx") out.push(prefix || "/");
  }
  return out.sort();
}

/** The route with each dynamic segment filled by a row the earlier specs made (02-deploy's app, server and deploy, 03-monitors' monitor). */
export async function fillRoute(client: Db, route: string): Promise<string> {
  const app = await client.app.findFirst({ where: { deploys: { some: {} } }, orderBy: { createdAt: "asc" }, select: { id: true } });
  const deploy = app ? await client.deploy.findFirst({ where: { appId: app.id }, orderBy: { createdAt: "desc" }, select: { id: true } }) : null;
  const server = await client.server.findFirst({ orderBy: { createdAt: "asc" }, select: { id: true } });
  const monitor = await client.monitor.findFirst({ orderBy: { createdAt: "asc" }, select: { id: true } });
  const values: Record<string, string | undefined> = { appId: app?.id, deployId: deploy?.id, serverId: server?.id, id: monitor?.id };
  return route.replace(/\[(\w+)\]/g, (_, name: string) => {
    const value = values[name];
    if (!value) throw new Error(`no row to fill [${name}] in ${route}: this spec runs after 02-deploy and 03-monitors (npm run test:e2e)`);
    return value;
  });
}
