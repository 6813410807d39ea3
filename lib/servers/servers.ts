import { encryptSecret } from "../crypto/secretbox";
import type { Db, Tx } from "../db/client";
import { ConflictError, NotFoundError, ValidationError } from "../errors";
import { generateEd25519KeyPair, parsePrivateKey } from "../ssh";
import type { ServerInput } from "./schemas";

export const serverPublicFields = {
  id: true,
  name: true,
  host: true,
  port: true,
  username: true,
  hostKeyFingerprint: true,
  hostKeyStatus: true,
  hostKeyPresented: true,
  hostKeyCheckedAt: true,
  createdAt: true,
  sshKey: { select: { id: true, name: true, publicKey: true, fingerprint: true } },
} as const;

function keyMaterial(input: Pick<ServerInput, "privateKey" | "generateKey" | "name">) {
  if (input.privateKey?.trim()) {
    try {
      const parsed = parsePrivateKey(input.privateKey.trim() + "\n");
      return { privateKey: input.privateKey.trim() + "\n", publicKey: parsed.publicKey, fingerprint: parsed.fingerprint, generated: false };
    } catch (err) {
      throw new ValidationError(`privateKey: ${err instanceof Error ? err.message : "not a usable private key"}`);
    }
  }
  if (input.generateKey) return { ...generateEd25519KeyPair(`deckhand@${input.name}`), generated: true };
  throw new ValidationError("privateKey: paste a private key or choose to generate one");
}

/** Creates the server and its key (encrypted at rest). The public key is returned so a person can install it. */
export async function createServer(tx: Tx | Db, input: ServerInput) {
  if (await tx.server.findUnique({ where: { name: input.name }, select: { id: true } })) {
    throw new ConflictError(`A server named ${input.name} already exists`);
  }
  const key = keyMaterial(input);
  const sshKey = await tx.sshKey.create({
    data: {
      name: `${input.name} key ${Date.now().toString(36)}`,
      publicKey: key.publicKey,
      fingerprint: key.fingerprint,
      encryptedPrivateKey: encryptSecret(key.privateKey),
    },
    select: { id: true },
  });
  const server = await tx.server.create({
    data: {
      name: input.name,
      host: input.host,
      port: input.port,
      username: input.username,
      sshKeyId: sshKey.id,
      hostKeyFingerprint: input.hostKeyFingerprint ?? null,
      hostKeyStatus: input.hostKeyFingerprint ? "pinned" : "unpinned",
    },
    select: serverPublicFields,
  });
  return { server, publicKey: key.publicKey, keyGenerated: key.generated };
}

export async function updateServer(tx: Tx | Db, serverId: string, input: Partial<ServerInput>) {
  const before = await tx.server.findUnique({ where: { id: serverId }, select: serverPublicFields });
  if (!before) throw new NotFoundError("Server");
  let sshKeyId: string | undefined;
  if (input.privateKey?.trim()) {
    const key = keyMaterial({ privateKey: input.privateKey, name: before.name });
    sshKeyId = (
      await tx.sshKey.create({
        data: { name: `${before.name} key ${Date.now().toString(36)}`, publicKey: key.publicKey, fingerprint: key.fingerprint, encryptedPrivateKey: encryptSecret(key.privateKey) },
        select: { id: true },
      })
    ).id;
  }
  const movedHost = (input.host && input.host !== before.host) || (input.port && input.port !== before.port);
  const after = await tx.server.update({
    where: { id: serverId },
    data: {
      name: input.name,
      host: input.host,
      port: input.port,
      username: input.username,
      sshKeyId,
      // A different host or port is a different machine until someone pins its key again.
      ...(movedHost ? { hostKeyFingerprint: null, hostKeyStatus: "unpinned" as const, hostKeyPresented: null } : {}),
    },
    select: serverPublicFields,
  });
  if (sshKeyId) await tx.sshKey.deleteMany({ where: { id: before.sshKey.id, servers: { none: {} } } });
  return { before, after };
}

export async function deleteServer(tx: Tx | Db, serverId: string) {
  const server = await tx.server.findUnique({ where: { id: serverId }, select: { id: true, name: true, sshKeyId: true, targets: { select: { app: { select: { name: true } } } } } });
  if (!server) throw new NotFoundError("Server");
  if (server.targets.length > 0) {
    throw new ConflictError(`${server.name} is a target of ${server.targets.map((t) => t.app.name).join(", ")}; remove it from those apps first`);
  }
  await tx.monitor.deleteMany({ where: { serverId } });
  await tx.server.delete({ where: { id: serverId } });
  await tx.sshKey.deleteMany({ where: { id: server.sshKeyId, servers: { none: {} } } });
  return server;
}
