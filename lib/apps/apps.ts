import type { Db, Tx } from "../db/client";
import { ConflictError, NotFoundError, ValidationError } from "../errors";
import { syncAppHealthMonitor } from "../health/monitors";
import { assertDeployPathFree } from "./deploy-paths";
import { productionEnvironmentId, setEnvironmentServers } from "./environments";
import { repoUrlToStore } from "./repo-credentials";
import { maskRepoUrl } from "./repo-url";
import type { AppInput } from "./schemas";
import { writeSecrets } from "./secrets";

export const appPublicFields = {
  id: true,
  name: true,
  repoUrl: true,
  deployPath: true,
  keepReleases: true,
  installCommand: true,
  buildCommand: true,
  smokeCommand: true,
  restartCommand: true,
  healthUrl: true,
  strategy: true,
  batchSize: true,
  healthRetries: true,
  healthRetryDelayMs: true,
  monitorIntervalSeconds: true,
  createdAt: true,
  updatedAt: true,
  targets: { orderBy: { position: "asc" }, select: { server: { select: { id: true, name: true, host: true, hostKeyStatus: true } } } },
  // The app-level variables are its production environment's (each environment has its own).
  secrets: { where: { environment: { name: "production" } }, orderBy: { name: "asc" }, select: { name: true, updatedAt: true } },
} as const;

async function checkServers(tx: Tx | Db, serverIds: string[]): Promise<void> {
  const unique = [...new Set(serverIds)];
  if (unique.length !== serverIds.length) throw new ValidationError("serverIds: a server is listed twice");
  const found = await tx.server.count({ where: { id: { in: unique } } });
  if (found !== unique.length) throw new ValidationError("serverIds: one or more servers do not exist");
}

/** An app as anyone may see it: the repository credential masked even in a URL stored before sealing. */
export function shown<T extends { repoUrl: string }>(app: T): T {
  return { ...app, repoUrl: maskRepoUrl(app.repoUrl) };
}

async function storedRepoUrl(tx: Tx | Db, appId: string) {
  return tx.app.findUniqueOrThrow({ where: { id: appId }, select: { repoUrl: true, encryptedRepoCredential: true } });
}

export async function createApp(tx: Tx | Db, input: AppInput) {
  if (await tx.app.findUnique({ where: { name: input.name }, select: { id: true } })) throw new ConflictError(`An app named ${input.name} already exists`);
  await checkServers(tx, input.serverIds);
  await assertDeployPathFree(tx, { deployPath: input.deployPath, serverIds: input.serverIds });
  const { serverIds, env, ...fields } = input;
  const app = await tx.app.create({
    data: { ...fields, ...repoUrlToStore(fields.repoUrl), healthUrl: fields.healthUrl ?? null, targets: { create: serverIds.map((serverId, position) => ({ serverId, position })) } },
    select: { id: true },
  });
  if (env) await writeSecrets(tx, app.id, env);
  // The app's health URL is also watched continuously, as a monitor of the app.
  await syncAppHealthMonitor(tx, { id: app.id, name: input.name, healthUrl: input.healthUrl ?? null, monitorIntervalSeconds: input.monitorIntervalSeconds ?? null });
  return shown(await tx.app.findUniqueOrThrow({ where: { id: app.id }, select: appPublicFields }));
}

export async function updateApp(tx: Tx | Db, appId: string, input: Partial<AppInput>) {
  const found = await tx.app.findUnique({ where: { id: appId }, select: appPublicFields });
  if (!found) throw new NotFoundError("App");
  const before = shown(found);
  const { serverIds, env, ...fields } = input;
  if (serverIds) await checkServers(tx, serverIds);
  if (serverIds || fields.deployPath !== undefined) {
    // A new deploy path, or a server added: either may now overlap another app's deploy path there.
    await assertDeployPathFree(tx, { appId, deployPath: fields.deployPath ?? before.deployPath, serverIds: serverIds ?? before.targets.map((t) => t.server.id) });
  }
  // The app's own server list is its production environment's (other environments keep theirs).
  if (serverIds) await setEnvironmentServers(tx, appId, await productionEnvironmentId(tx, appId), serverIds);
  if (env) await writeSecrets(tx, appId, env);
  const repo = fields.repoUrl === undefined ? {} : repoUrlToStore(fields.repoUrl, await storedRepoUrl(tx, appId));
  await tx.app.update({ where: { id: appId }, data: { ...fields, ...repo } });
  const after = shown(await tx.app.findUniqueOrThrow({ where: { id: appId }, select: appPublicFields }));
  await syncAppHealthMonitor(tx, { id: after.id, name: after.name, healthUrl: after.healthUrl, monitorIntervalSeconds: after.monitorIntervalSeconds });
  return { before, after };
}

/** What deleting an app needs to know: its targets (for removing its files) and its monitors (gone with it). */
export async function appForDeletion(tx: Tx | Db, appId: string) {
  const app = await tx.app.findUnique({
    where: { id: appId },
    select: {
      id: true,
      name: true,
      deployPath: true,
      targets: { orderBy: { position: "asc" }, select: { server: { select: { id: true, name: true } }, environment: { select: { deployPath: true } } } },
      monitors: { select: { id: true, name: true } },
    },
  });
  if (!app) throw new NotFoundError("App");
  return app;
}

/** A queued or running deploy of the app refuses its deletion (409), naming who holds it. */
export async function assertNoActiveDeploy(tx: Tx | Db, app: { id: string; name: string }, note = ""): Promise<void> {
  const active = await tx.deploy.findFirst({
    where: { appId: app.id, status: { in: ["queued", "running"] } },
    select: { id: true, kind: true, status: true, actorLabel: true },
  });
  if (active) {
    throw new ConflictError(`${app.name} cannot be deleted while a ${active.kind} by ${active.actorLabel} is ${active.status} (${active.id}); wait for it to finish or cancel it first${note}`, { deployId: active.id });
  }
}

/**
 * Deletes the app row, and with it (by cascade) its targets, variables, releases, deploys, logs, its monitors
 * and their results. The row is locked first, so a deploy requested at the same moment either committed
 * before (and refuses the deletion) or waits and then finds no app.
 */
export async function deleteApp(client: Db, app: { id: string; name: string }, note = ""): Promise<void> {
  await client.$transaction((tx) => deleteAppRow(tx, app, note));
}

async function deleteAppRow(tx: Tx, app: { id: string; name: string }, note: string): Promise<void> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "App" WHERE "id" = ${app.id} FOR UPDATE`;
  if (locked.length === 0) throw new NotFoundError("App");
  await assertNoActiveDeploy(tx, app, note);
  await tx.app.delete({ where: { id: app.id } });
}
