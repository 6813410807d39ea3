import { connectSsh, type SshSession, type SshTarget } from "../../ssh";
import { abortable, checkDeadline, CheckTimeoutError } from "../../net/deadline";
import { describeNetworkError } from "../../net/errors";
import { TargetDeniedError, vetHost } from "../../net/guard";
import type { CheckContext, CheckOutcome } from "./types";

export interface SshCheckSpec {
  serverId: string;
  /** Run as given on the registered server; exit status 0 means up (e.g. `systemctl is-active app`). */
  command: string;
  timeoutMs: number;
}

/** Turns a server id into a connectable target (decrypted key, pinned host key); lib/deploy provides it. */
export type SshTargetLoader = (serverId: string) => Promise<SshTarget>;

const BACKSTOP_MS = 500;

function firstLine(text: string): string {
  return text.trim().split("\n")[0]?.trim().slice(0, 200) ?? "";
}

/**
 * Connects to the registered server (host key pinned, as for deploys), runs the command and judges it by
 * its exit status. Connect and command share one timeout; on expiry the remote process is killed.
 */
export async function checkSsh(spec: SshCheckSpec, ctx: CheckContext & { loadTarget: SshTargetLoader }): Promise<CheckOutcome> {
  const started = performance.now();
  const deadline = checkDeadline(spec.timeoutMs, ctx.signal);
  // The check's deadline is the one clock that decides a timeout. The SSH layer's own timers are only
  // backstops, set a little past it, so the two never race to word the same timeout differently.
  const backstop = () => Math.max(1, Math.round(spec.timeoutMs - (performance.now() - started))) + BACKSTOP_MS;
  let session: SshSession | null = null;
  try {
    const target = await abortable(ctx.loadTarget(spec.serverId), deadline.signal);
    const vetted = await abortable(vetHost(target.host, ctx.guard, ctx.resolve), deadline.signal);
    session = await abortable(connectSsh({ ...target, host: vetted.address }, { connectTimeoutMs: backstop(), signal: deadline.signal }), deadline.signal);
    const result = await abortable(session.exec(spec.command, { timeoutMs: backstop(), signal: deadline.signal, maxCollectBytes: 64 * 1024 }), deadline.signal);
    const latencyMs = performance.now() - started;
    const said = firstLine(result.stdout) || firstLine(result.stderr);
    const how = result.exitCode === null ? `killed by ${result.signal ?? "a signal"}` : `exit ${result.exitCode}`;
    return { ok: result.exitCode === 0, latencyMs, detail: said ? `${how}: ${said}` : how };
  } catch (err) {
    const reason: unknown = deadline.signal.aborted ? deadline.signal.reason : err;
    if (reason instanceof CheckTimeoutError) return { ok: false, latencyMs: spec.timeoutMs, detail: reason.message };
    if (reason instanceof TargetDeniedError) return { ok: false, latencyMs: null, detail: reason.message };
    return { ok: false, latencyMs: null, detail: `ssh: ${describeNetworkError(reason)}` };
  } finally {
    session?.close();
    deadline.done();
  }
}
