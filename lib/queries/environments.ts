import { db } from "../db/client";
import { getEnvironment, listEnvironments, resolveEnvironment } from "../apps/environments";
import { activeFreeze, listFreezes } from "../deploy/freezes";
import { currentRelease } from "../deploy/requests";

type EnvRow = Awaited<ReturnType<typeof getEnvironment>>;

/** An environment as the API and the app page show it: its policy, servers, current release, lock holder and freeze. */
async function shownEnvironment(appId: string, e: EnvRow) {
  const [current, holder, freeze] = await Promise.all([
    currentRelease(db(), appId, e.id),
    db().deploy.findFirst({ where: { environmentId: e.id, status: { in: ["queued", "running"] } }, select: { id: true, kind: true, status: true, actorLabel: true } }),
    activeFreeze(db(), e.id),
  ]);
  const { targets, createdAt, updatedAt, ...fields } = e;
  return {
    ...fields,
    servers: targets.map((t) => t.server),
    current: current && { releaseId: current.id, dir: current.dir, commit: current.commit, commitMessage: current.commitMessage },
    lockedBy: holder && { deployId: holder.id, kind: holder.kind, status: holder.status, by: holder.actorLabel },
    frozen: freeze && { id: freeze.id, until: freeze.endsAt.toISOString(), reason: freeze.reason },
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
  };
}
export type EnvironmentJson = Awaited<ReturnType<typeof shownEnvironment>>;

export async function environmentListJson(appId: string): Promise<EnvironmentJson[]> {
  const rows = await listEnvironments(db(), appId);
  return Promise.all(rows.map((e) => shownEnvironment(appId, e)));
}

export async function environmentJson(appId: string, name: string): Promise<EnvironmentJson> {
  return shownEnvironment(appId, await getEnvironment(db(), appId, name));
}

async function freezesOf(environmentId: string) {
  return (await listFreezes(db(), environmentId)).map((f) => ({ ...f, startsAt: f.startsAt.toISOString(), endsAt: f.endsAt.toISOString(), createdAt: f.createdAt.toISOString() }));
}

export async function freezeListJson(appId: string, name: string) {
  return freezesOf((await resolveEnvironment(db(), appId, name)).id);
}

/** A freeze as the app page shows it; `current`: it has started (it is not over: only those are listed). */
export type FreezeJson = Awaited<ReturnType<typeof freezesOf>>[number] & { current: boolean };

/** Every environment's freezes not yet over (current and upcoming, soonest first), by environment name, for the app page. */
export async function environmentFreezesJson(appId: string): Promise<Record<string, FreezeJson[]>> {
  const rows = await listEnvironments(db(), appId);
  const lists = await Promise.all(rows.map((e) => freezesOf(e.id)));
  const now = Date.now();
  return Object.fromEntries(rows.map((e, i) => [e.name, (lists[i] ?? []).map((f) => ({ ...f, current: Date.parse(f.startsAt) <= now }))]));
}
