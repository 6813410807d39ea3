import { decryptSecret } from "../crypto/secretbox";
import { db, type Db } from "../db/client";
import { NotFoundError } from "../errors";
import type { SshTarget } from "../ssh";

/** Everything needed to open an SSH connection, with the private key decrypted (never leaves the worker). */
export async function loadSshTarget(serverId: string, client: Db = db()): Promise<SshTarget & { id: string; name: string }> {
  const server = await client.server.findUnique({
    where: { id: serverId },
    select: { id: true, name: true, host: true, port: true, username: true, hostKeyFingerprint: true, sshKey: { select: { encryptedPrivateKey: true } } },
  });
  if (!server) throw new NotFoundError("Server");
  return {
    id: server.id,
    name: server.name,
    host: server.host,
    port: server.port,
    username: server.username,
    hostKeyFingerprint: server.hostKeyFingerprint,
    privateKey: decryptSecret(server.sshKey.encryptedPrivateKey),
  };
}
