import type { Db, Tx } from "../db/client";
import type { RolloutStrategy, VerdictMode } from "../generated/prisma/enums";
import { ConflictError, NotFoundError, ValidationError } from "../errors";
import { assertDeployPathFree, deployPathsOverlap, normaliseDeployPath } from "./deploy-paths";

/** Every field of an environment as the API and the UI show it (the approval and verdict policy included). */
export const environmentPublicFields = {
  id: true,
  name: true,
  position: true,
  healthUrl: true,
  strategy: true,
  batchSize: true,
  requireApproval: true,
  approvalTtlMinutes: true,
  soakMinutes: true,
  verdict: true,
  verdictMaxErrorRateIncrease: true,
  verdictMaxLatencyRatio: true,
  deployPath: true,
  createdAt: true,
  updatedAt: true,
  targets: { orderBy: { position: "asc" }, select: { server: { select: { id: true, name: true } } } },
} as const;

export interface EnvironmentFields {
  position?: number;
  healthUrl?: string | null;
  strategy?: RolloutStrategy | null;
  batchSize?: number | null;
  requireApproval?: boolean;
  approvalTtlMinutes?: number;
  soakMinutes?: number;
  verdict?: VerdictMode;
  verdictMaxErrorRateIncrease?: number;
  verdictMaxLatencyRatio?: number;
  deployPath?: string | null;
}

/** The environment row a deploy request names, resolved once and early (unknown: 400 naming it). */
export interface ResolvedEnvironment {
  id: string;
  name: string;
  appId: string;
  requireApproval: boolean;
  approvalTtlMinutes: number;
}

export async function resolveEnvironment(tx: Tx | Db, appId: string, name: string): Promise<ResolvedEnvironment> {
  const found = await tx.environment.findUnique({ where: { appId_name: { appId, name } }, select: { id: true, name: true, appId: true, requireApproval: true, approvalTtlMinutes: true } });
  if (found) return found;
  const app = await tx.app.findUnique({ where: { id: appId }, select: { name: true } });
  if (!app) throw new NotFoundError("App");
  throw new ValidationError(`environment: ${app.name} has no environment named "${name}"`);
}

/** The app's production environment id (every app has one: a trigger creates it with the app). */
export async function productionEnvironmentId(tx: Tx | Db, appId: string): Promise<string> {
  const env = await tx.environment.findUnique({ where: { appId_name: { appId, name: "production" } }, select: { id: true } });
  if (!env) throw new NotFoundError("App");
  return env.id;
}

async function assertServersFree(tx: Tx | Db, appId: string, environmentId: string | null, serverIds: string[]): Promise<void> {
  const unique = [...new Set(serverIds)];
  if (unique.length !== serverIds.length) throw new ValidationError("serverIds: a server is listed twice");
  const found = await tx.server.count({ where: { id: { in: unique } } });
  if (found !== unique.length) throw new ValidationError("serverIds: one or more servers do not exist");
  const taken = await tx.appTarget.findFirst({
    where: { appId, serverId: { in: unique }, ...(environmentId ? { NOT: { environmentId } } : {}) },
    select: { server: { select: { name: true } }, environment: { select: { name: true } } },
  });
  if (taken) throw new ValidationError(`serverIds: ${taken.server.name} already serves this app's ${taken.environment?.name ?? "production"} environment (a server serves one environment of an app)`);
}

/**
 * Two environments of one app on one machine (servers with the same host and port) must not share a deploy
 * path: each one's `current`, releases and shared/.env would be the other's. Refused naming both, with the fix.
 */
async function assertEnvironmentsApart(tx: Tx | Db, appId: string, environmentId: string, deployPath: string, serverIds: string[]): Promise<void> {
  const servers = await tx.server.findMany({ where: { id: { in: serverIds } }, select: { host: true, port: true, name: true } });
  if (servers.length === 0) return;
  const others = await tx.appTarget.findMany({
    where: { appId, NOT: { environmentId }, server: { OR: servers.map((s) => ({ host: { equals: s.host, mode: "insensitive" as const }, port: s.port })) } },
    select: { server: { select: { name: true, host: true, port: true } }, environment: { select: { name: true, deployPath: true } }, app: { select: { deployPath: true } } },
  });
  const clash = others.find((o) => deployPathsOverlap(o.environment?.deployPath ?? o.app.deployPath, deployPath));
  if (!clash) return;
  const mine = servers.find((s) => s.host.toLowerCase() === clash.server.host.toLowerCase() && s.port === clash.server.port);
  throw new ValidationError(
    `deployPath: ${normaliseDeployPath(deployPath)} on ${mine?.name ?? clash.server.name} is also where ${clash.environment?.name ?? "production"} deploys (on ${clash.server.name}, the same machine); give this environment its own deployPath`,
  );
}

/** Replaces the environment's servers (a server serves one environment of an app). */
export async function setEnvironmentServers(tx: Tx | Db, appId: string, environmentId: string, serverIds: string[]): Promise<void> {
  await assertServersFree(tx, appId, environmentId, serverIds);
  const app = await tx.app.findUniqueOrThrow({ where: { id: appId }, select: { deployPath: true } });
  const env = await tx.environment.findUniqueOrThrow({ where: { id: environmentId }, select: { deployPath: true } });
  const deployPath = env.deployPath ?? app.deployPath;
  await assertDeployPathFree(tx, { appId, deployPath, serverIds });
  await assertEnvironmentsApart(tx, appId, environmentId, deployPath, serverIds);
  await tx.appTarget.deleteMany({ where: { appId, environmentId } });
  const start = await tx.appTarget.count({ where: { appId } });
  await tx.appTarget.createMany({ data: serverIds.map((serverId, i) => ({ appId, serverId, environmentId, position: start + i })) });
}

export async function listEnvironments(tx: Tx | Db, appId: string) {
  const app = await tx.app.findUnique({ where: { id: appId }, select: { id: true } });
  if (!app) throw new NotFoundError("App");
  return tx.environment.findMany({ where: { appId }, orderBy: [{ position: "asc" }, { name: "asc" }], select: environmentPublicFields });
}

export async function getEnvironment(tx: Tx | Db, appId: string, name: string) {
  const env = await tx.environment.findUnique({ where: { appId_name: { appId, name } }, select: environmentPublicFields });
  if (!env) throw new NotFoundError(`Environment ${name}`);
  return env;
}

export async function createEnvironment(tx: Tx | Db, appId: string, input: EnvironmentFields & { name: string; serverIds: string[] }) {
  const app = await tx.app.findUnique({ where: { id: appId }, select: { id: true, name: true } });
  if (!app) throw new NotFoundError("App");
  if (await tx.environment.findUnique({ where: { appId_name: { appId, name: input.name } }, select: { id: true } })) throw new ConflictError(`${app.name} already has an environment named ${input.name}`);
  const { serverIds, ...fields } = input;
  const env = await tx.environment.create({ data: { appId, ...fields }, select: { id: true } });
  await setEnvironmentServers(tx, appId, env.id, serverIds);
  return { app, environment: await tx.environment.findUniqueOrThrow({ where: { id: env.id }, select: environmentPublicFields }) };
}

export async function updateEnvironment(tx: Tx | Db, appId: string, name: string, input: EnvironmentFields & { serverIds?: string[] }) {
  const before = await getEnvironment(tx, appId, name);
  const { serverIds, ...fields } = input;
  await tx.environment.update({ where: { id: before.id }, data: fields });
  // A new deploy path is checked against the servers it will be on, like new servers are.
  if (serverIds || fields.deployPath !== undefined) await setEnvironmentServers(tx, appId, before.id, serverIds ?? before.targets.map((t) => t.server.id));
  return { before, after: await getEnvironment(tx, appId, name) };
}

/** Production stays (every app has it); an environment with a queued or running deploy stays until it ends. */
export async function deleteEnvironment(tx: Tx | Db, appId: string, name: string) {
  const env = await getEnvironment(tx, appId, name);
  if (name === "production") throw new ConflictError("production cannot be deleted: every app has it");
  const active = await tx.deploy.findFirst({ where: { environmentId: env.id, status: { in: ["queued", "running"] } }, select: { id: true, kind: true, actorLabel: true, status: true } });
  if (active) throw new ConflictError(`${name} cannot be deleted while a ${active.kind} by ${active.actorLabel} is ${active.status} (${active.id})`, { deployId: active.id });
  await tx.environment.delete({ where: { id: env.id } });
  return env;
}
