/**
 * Host-key pinning: Deckhand connects only to a server whose key a person accepted, and a changed key is
 * recorded on the server and never authenticated against.
 */

import { db, type Db, type Tx } from "../db/client";
import { NotFoundError } from "../errors";
import { connectSsh, fetchHostKey, HostKeyMismatchError } from "../ssh";
import { loadSshTarget } from "./ssh-target";

/** The explicit admin act of trusting a host key (first pin or re-pin after a change). */
export async function pinHostKey(tx: Tx | Db, serverId: string, fingerprint: string) {
  const before = await tx.server.findUnique({ where: { id: serverId }, select: { id: true, name: true, hostKeyFingerprint: true } });
  if (!before) throw new NotFoundError("Server");
  await tx.server.update({
    where: { id: serverId },
    data: { hostKeyFingerprint: fingerprint, hostKeyStatus: "pinned", hostKeyPresented: null, hostKeyCheckedAt: new Date() },
  });
  return { server: before, previous: before.hostKeyFingerprint };
}

export async function recordHostKeyMismatch(serverId: string, presented: string, client: Db = db()): Promise<void> {
  await client.server.update({ where: { id: serverId }, data: { hostKeyStatus: "mismatch", hostKeyPresented: presented, hostKeyCheckedAt: new Date() } });
}

export type VerifyOutcome =
  | { status: "unpinned"; presented: string; keyType: string }
  | { status: "ok"; presented: string; keyType: string; whoami: string }
  | { status: "mismatch"; presented: string; expected: string }
  | { status: "auth_failed" | "unreachable"; presented: string | null; message: string };

/**
 * "Verify connection": shows the host key a person should compare and accept; when a key is pinned,
 * also proves the login works. A changed key is recorded on the server and never authenticated against.
 */
export async function verifyServer(serverId: string, connectTimeoutMs: number): Promise<VerifyOutcome> {
  const target = await loadSshTarget(serverId);
  let hostKey: { fingerprint: string; keyType: string };
  try {
    hostKey = await fetchHostKey(target.host, target.port, connectTimeoutMs);
  } catch (err) {
    return { status: "unreachable", presented: null, message: err instanceof Error ? err.message : String(err) };
  }
  await db().server.update({ where: { id: serverId }, data: { hostKeyCheckedAt: new Date() } });
  if (!target.hostKeyFingerprint) return { status: "unpinned", presented: hostKey.fingerprint, keyType: hostKey.keyType };
  try {
    const session = await connectSsh(target, { connectTimeoutMs });
    try {
      const result = await session.exec("whoami", { timeoutMs: connectTimeoutMs });
      return { status: "ok", presented: hostKey.fingerprint, keyType: hostKey.keyType, whoami: result.stdout.trim() };
    } finally {
      session.close();
    }
  } catch (err) {
    if (err instanceof HostKeyMismatchError) {
      await recordHostKeyMismatch(serverId, err.presented);
      return { status: "mismatch", presented: err.presented, expected: err.expected };
    }
    const message = err instanceof Error ? err.message : String(err);
    return { status: /auth/i.test(message) ? "auth_failed" : "unreachable", presented: hostKey.fingerprint, message };
  }
}
