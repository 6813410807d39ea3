import { db } from "../db/client";
import { NotFoundError } from "../errors";
import { serverPublicFields } from "../servers/servers";

export async function listServers() {
  return db().server.findMany({ orderBy: { name: "asc" }, select: { ...serverPublicFields, targets: { select: { app: { select: { id: true, name: true } } } } } });
}

export async function getServer(serverId: string) {
  const server = await db().server.findUnique({ where: { id: serverId }, select: { ...serverPublicFields, targets: { select: { app: { select: { id: true, name: true } } } } } });
  if (!server) throw new NotFoundError("Server");
  return server;
}
