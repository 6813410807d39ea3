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

/** A server's fields after an update; the key is rotated when `privateKey` or `generateKey` is given. */
export type ServerUpdate = Partial<Pick<ServerInput, "name" | "host" | "port" | "username" | "privateKey" | "generateKey">>;

/**
 * Changes a server. A new key (pasted or generated) replaces the old one, whose row goes once no server uses
 * it; `publicKey` is then returned so a person can install it. A new host or port is a different machine
 * until someone verifies and pins its key again, so the pin is cleared.
 */
export async function updateServer(tx: Tx | Db, serverId: string, input: ServerUpdate) {
  const before = await tx.server.findUnique({ where: { id: serverId }, select: serverPublicFields });
  if (!before) throw new NotFoundError("Server");
  if (input.privateKey?.trim() && input.generateKey) throw new ValidationError("privateKey: paste a key or choose to generate one, not both");
  if (input.name !== undefined && input.name !== before.name && (await tx.server.findUnique({ where: { name: input.name }, select: { id: true } }))) {
    throw new ConflictError(`A server named ${input.name} already exists`);
  }
  const rotate = !!input.privateKey?.trim() || input.generateKey === true;
  let newKey: { id: string; publicKey: string; generated: boolean } | null = null;
  if (rotate) {
    const name = input.name ?? before.name;
    const key = keyMaterial({ privateKey: input.privateKey, generateKey: input.generateKey, name });
    const row = await tx.sshKey.create({
      data: { name: `${name} key ${Date.now().toString(36)}`, publicKey: key.publicKey, fingerprint: key.fingerprint, encryptedPrivateKey: encryptSecret(key.privateKey) },
      select: { id: true },
    });
    newKey = { id: row.id, publicKey: key.publicKey, generated: key.generated };
  }
  const pinCleared = (input.host !== undefined && input.host !== before.host) || (input.port !== undefined && input.port !== before.port);
  const after = await tx.server.update({
    where: { id: serverId },
    data: {
      name: input.name,
      host: input.host,
      port: input.port,
      username: input.username,
      sshKeyId: newKey?.id,
      // A different host or port is a different machine until someone pins its key again.
      ...(pinCleared ? { hostKeyFingerprint: null, hostKeyStatus: "unpinned" as const, hostKeyPresented: null, hostKeyCheckedAt: null } : {}),
    },
    select: serverPublicFields,
  });
  if (newKey) await tx.sshKey.deleteMany({ where: { id: before.sshKey.id, servers: { none: {} } } });
  return { before, after, pinCleared, key: newKey && { publicKey: newKey.publicKey, generated: newKey.generated } };
}

/** The apps that deploy to a server: a server they target cannot be deleted. */
export class ServerInUseError extends ConflictError {
  constructor(
    server: string,
    readonly apps: { id: string; name: string }[],
  ) {
    super(`${server} is a target of ${apps.map((a) => a.name).join(", ")}; remove it from ${apps.length === 1 ? "that app" : "those apps"} first`, { apps });
  }
}

export async function deleteServer(tx: Tx | Db, serverId: string) {
  const server = await tx.server.findUnique({ where: { id: serverId }, select: { id: true, name: true, sshKeyId: true, targets: { orderBy: { app: { name: "asc" } }, select: { app: { select: { id: true, name: true } } } } } });
  if (!server) throw new NotFoundError("Server");
  if (server.targets.length > 0)
    throw new ServerInUseError(
      server.name,
      server.targets.map((t) => t.app),
    );
  await tx.monitor.deleteMany({ where: { serverId } });
  await tx.server.delete({ where: { id: serverId } });
  await tx.sshKey.deleteMany({ where: { id: server.sshKeyId, servers: { none: {} } } });
  return server;
}
