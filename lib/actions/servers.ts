import { z } from "zod";
import { env } from "../env";
import { fingerprintSchema, serverInputSchema, serverUpdateSchema } from "../servers/schemas";
import { pinHostKey, verifyServer } from "../servers/host-keys";
import { createServer, deleteServer, updateServer } from "../servers/servers";
import { NotFoundError } from "../errors";
import { defineAction } from "./core";

const id = (name: string) => z.object({ [name]: z.string().min(1, "is required").max(64) });

export const createServerAction = defineAction({
  name: "server.create",
  permission: "manageServers",
  input: serverInputSchema,
  async handler(input, ctx) {
    const { server, publicKey, keyGenerated } = await createServer(ctx.tx, input);
    ctx.audit(
      { type: "server", id: server.id, name: server.name },
      {
        host: server.host,
        port: server.port,
        username: server.username,
        keyFingerprint: server.sshKey.fingerprint,
        keyGenerated,
        hostKeyPinned: server.hostKeyFingerprint,
      },
    );
    return { ...server, publicKey };
  },
});

export const updateServerAction = defineAction({
  name: "server.update",
  permission: "manageServers",
  input: serverUpdateSchema,
  async handler({ serverId, ...input }, ctx) {
    const named = await ctx.tx.server.findUnique({ where: { id: serverId }, select: { id: true, name: true } });
    if (named) ctx.audit({ type: "server", id: named.id, name: named.name });
    const { before, after, pinCleared, key } = await updateServer(ctx.tx, serverId, input);
    const seen = (s: typeof before) => ({ name: s.name, host: s.host, port: s.port, username: s.username, keyFingerprint: s.sshKey.fingerprint, hostKeyPinned: s.hostKeyFingerprint });
    ctx.audit(
      { type: "server", id: after.id, name: after.name },
      {
        before: seen(before),
        after: seen(after),
        keyRotated: key !== null,
        ...(key ? { keyGenerated: key.generated } : {}),
        pinCleared,
      },
    );
    return { ...after, ...(key ? { publicKey: key.publicKey } : {}), keyRotated: key !== null, pinCleared };
  },
});

/** Refused (409, naming them) while an app targets the server; its monitors go with it. */
export const deleteServerAction = defineAction({
  name: "server.delete",
  permission: "manageServers",
  input: id("serverId"),
  async handler(input, ctx) {
    const named = await ctx.tx.server.findUnique({ where: { id: String(input.serverId) }, select: { id: true, name: true } });
    // Named before anything can refuse, so a refused delete's event says which server it was.
    if (named) ctx.audit({ type: "server", id: named.id, name: named.name });
    const server = await deleteServer(ctx.tx, String(input.serverId));
    ctx.audit({ type: "server", id: server.id, name: server.name });
    return { id: server.id, deleted: true as const };
  },
});

export const pinHostKeyAction = defineAction({
  name: "server.pin_host_key",
  permission: "manageServers",
  input: z.object({ serverId: z.string().min(1), fingerprint: fingerprintSchema }),
  async handler(input, ctx) {
    const { server, previous } = await pinHostKey(ctx.tx, input.serverId, input.fingerprint);
    ctx.audit({ type: "server", id: server.id, name: server.name }, { before: { hostKey: previous }, after: { hostKey: input.fingerprint }, repin: previous !== null });
    return { id: server.id, fingerprint: input.fingerprint };
  },
});

export const verifyServerAction = defineAction({
  name: "server.verify",
  permission: "manageServers",
  input: id("serverId"),
  transaction: false,
  async handler(input, ctx) {
    const serverId = String(input.serverId);
    const server = await ctx.tx.server.findUnique({ where: { id: serverId }, select: { name: true } });
    if (!server) throw new NotFoundError("Server");
    const outcome = await verifyServer(serverId, env().DECKHAND_SSH_CONNECT_TIMEOUT_MS);
    ctx.audit({ type: "server", id: serverId, name: server.name }, { result: outcome.status, presented: outcome.presented });
    return outcome;
  },
});
