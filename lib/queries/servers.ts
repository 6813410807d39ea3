import { db } from "../db/client";
import { NotFoundError } from "../errors";
import { serverPublicFields } from "../servers/servers";

const serverSelect = { ...serverPublicFields, targets: { select: { app: { select: { id: true, name: true } } } } } as const;

function pageReady<T extends { hostKeyCheckedAt: Date | null; createdAt: Date }>(server: T) {
  return { ...server, hostKeyCheckedAt: server.hostKeyCheckedAt?.getTime() ?? null, createdAt: server.createdAt.getTime() };
}

export async function listServers() {
  return (await db().server.findMany({ orderBy: { name: "asc" }, select: serverSelect })).map(pageReady);
}
export type ServerRow = Awaited<ReturnType<typeof listServers>>[number];

export async function getServer(serverId: string): Promise<ServerRow> {
  const server = await db().server.findUnique({ where: { id: serverId }, select: serverSelect });
  if (!server) throw new NotFoundError("Server");
  return pageReady(server);
}
