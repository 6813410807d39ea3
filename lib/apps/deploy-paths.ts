import type { Db, Tx } from "../db/client";
import { ConflictError } from "../errors";

/**
 * Two apps on one server must not share a deploy path nor nest one inside the other: each app's cleanup,
 * `current` switch and shared/.env would act on the other's files. Paths are compared by segment after
 * normalising (repeated and trailing slashes, `.` segments), so /srv/a and /srv/ab do not overlap but
 * /srv/a and /srv/a/b do.
 */
export function deployPathSegments(deployPath: string): string[] {
  return deployPath
    .trim()
    .split("/")
    .filter((s) => s !== "" && s !== ".");
}

export function normaliseDeployPath(deployPath: string): string {
  return "/" + deployPathSegments(deployPath).join("/");
}

/** True when one path is the other or lies inside it (whole segments only). */
export function deployPathsOverlap(a: string, b: string): boolean {
  const sa = deployPathSegments(a);
  const sb = deployPathSegments(b);
  const n = Math.min(sa.length, sb.length);
  for (let i = 0; i < n; i++) if (sa[i] !== sb[i]) return false;
  return true;
}

/** One lock for every check-then-write of deploy paths, so two concurrent saves cannot both pass. */
const DEPLOY_PATH_LOCK = 0x6465_706c; // "depl"

/**
 * Refuses (409, naming the other app and the server) a deploy path that overlaps another app's on any of
 * these servers. Servers with the same host and port count as one machine.
 */
export async function assertDeployPathFree(tx: Tx | Db, input: { appId?: string; deployPath: string; serverIds: string[] }): Promise<void> {
  if (input.serverIds.length === 0) return;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${DEPLOY_PATH_LOCK})`;
  const servers = await tx.server.findMany({ where: { id: { in: input.serverIds } }, select: { host: true, port: true } });
  const machines = servers.map((s) => ({ host: { equals: s.host, mode: "insensitive" as const }, port: s.port }));
  if (machines.length === 0) return;
  const others = await tx.appTarget.findMany({
    where: { server: { OR: machines }, ...(input.appId ? { appId: { not: input.appId } } : {}) },
    select: { app: { select: { name: true, deployPath: true } }, server: { select: { name: true } } },
  });
  const clash = others.find((o) => deployPathsOverlap(o.app.deployPath, input.deployPath));
  if (!clash) return;
  const mine = normaliseDeployPath(input.deployPath);
  const theirs = normaliseDeployPath(clash.app.deployPath);
  const how = mine === theirs ? "is the deploy path of" : mine.length < theirs.length ? "contains the deploy path of" : "is inside the deploy path of";
  throw new ConflictError(`deployPath: ${mine} ${how} app "${clash.app.name}" (${theirs}) on server ${clash.server.name}; two apps on one server may not share or nest deploy paths`);
}
