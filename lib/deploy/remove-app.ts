import { env } from "../env";
import { connectSsh, HostKeyMismatchError, HostKeyNotPinnedError, type SshSession } from "../ssh";
import { recordHostKeyMismatch } from "../servers/host-keys";
import { loadSshTarget } from "../servers/ssh-target";
import { layoutOf, removeAppFilesCommand } from "./layout";

export interface RemovalOutcome {
  serverId: string;
  server: string;
  removed: boolean;
  /** Why it was not removed, in words (only when removed is false). */
  error?: string;
}

const REMOVE_TIMEOUT_MS = 120_000;

function reason(err: unknown, server: string): string {
  if (err instanceof HostKeyMismatchError) return `the host key of ${server} changed (pinned ${err.expected}, presented ${err.presented}); nothing was removed`;
  if (err instanceof HostKeyNotPinnedError) return `${server} has no pinned host key; verify it first`;
  return err instanceof Error ? err.message : String(err);
}

/** Removes releases/, current and shared/ under the deploy path on one server. Never throws: the outcome says. */
async function removeOn(serverId: string, deployPath: string): Promise<RemovalOutcome> {
  let name = serverId;
  let session: SshSession | undefined;
  try {
    const command = removeAppFilesCommand(layoutOf(deployPath));
    const target = await loadSshTarget(serverId);
    name = target.name;
    session = await connectSsh(target, { connectTimeoutMs: env().DECKHAND_SSH_CONNECT_TIMEOUT_MS });
    const result = await session.exec(command, { timeoutMs: REMOVE_TIMEOUT_MS });
    if (result.exitCode !== 0) {
      const last = result.stderr.trim().split("\n").at(-1);
      return { serverId, server: name, removed: false, error: `rm exited with ${result.exitCode ?? result.signal}${last ? `: ${last}` : ""}` };
    }
    return { serverId, server: name, removed: true };
  } catch (err) {
    // As a deploy would: the server shows the changed key until an admin re-pins it.
    if (err instanceof HostKeyMismatchError) await recordHostKeyMismatch(serverId, err.presented).catch(() => undefined);
    return { serverId, server: name, removed: false, error: reason(err, name) };
  } finally {
    session?.close();
  }
}

/** The app's files removed from every target server at once; one outcome per server, in the given order. */
export async function removeAppFiles(deployPath: string, serverIds: string[]): Promise<RemovalOutcome[]> {
  return Promise.all(serverIds.map((id) => removeOn(id, deployPath)));
}
