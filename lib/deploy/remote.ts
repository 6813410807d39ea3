import { env } from "../env";
import { assertExitedZero, connectSsh, describeHeldOpen, HostKeyMismatchError, HostKeyNotPinnedError, SshCommandFailedError, SshCommandTimeoutError, type ExecResult } from "../ssh";
import { recordHostKeyMismatch } from "../servers/host-keys";
import { loadSshTarget } from "../servers/ssh-target";
import { StepError, type RunContext, type Target } from "./steps";

export interface RemoteOptions {
  /** A line shown in the log before the command runs (the command as a person would write it). */
  show?: string;
  stdin?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** A non-zero exit is an answer the caller reads (probes), not a failed step. */
  allowFailure?: boolean;
  /** Deckhand's own probes (readlink, ls, curl) are summarised by the caller instead of streamed; "stdout": only stderr is streamed. */
  quiet?: boolean | "stdout";
}

/**
 * The one path from an SSH error to a step error: a message the person watching the deploy can act on.
 * Cancellation and connection loss pass through unchanged (the step records them as such).
 */
export function stepErrorFrom(err: unknown, target: Target, timeoutMs: number): unknown {
  if (err instanceof SshCommandFailedError) {
    const lastLine = err.stderr?.trim() ? `: ${err.stderr.trim().split("\n").slice(-1)[0]}` : "";
    return new StepError(`exited with ${err.exitCode ?? `signal ${err.signal}`}${lastLine}`);
  }
  if (err instanceof SshCommandTimeoutError) return new StepError(`timed out after ${Math.round(timeoutMs / 1000)} s and was stopped`);
  if (err instanceof HostKeyMismatchError) {
    return new StepError(
      `the host key of ${target.name} CHANGED (pinned ${err.expected}, presented ${err.presented}); the connection was refused before authentication. If the server was rebuilt on purpose, an admin must re-pin its key.`,
      true,
    );
  }
  if (err instanceof HostKeyNotPinnedError) return new StepError(`${target.name} has no pinned host key; verify the connection and pin its key first`, true);
  return err;
}

/** Opens the target's one SSH connection for this run; a changed host key is recorded on the server. */
export async function connectTarget(ctx: RunContext, target: Target, stepId: string): Promise<void> {
  const sshTarget = await loadSshTarget(target.serverId, ctx.client);
  try {
    target.session = await connectSsh(sshTarget, { connectTimeoutMs: env().DECKHAND_SSH_CONNECT_TIMEOUT_MS, signal: ctx.abort.signal });
  } catch (err) {
    if (err instanceof HostKeyMismatchError) await recordHostKeyMismatch(target.serverId, err.presented, ctx.client);
    throw stepErrorFrom(err, target, 0);
  }
  ctx.sink.system(`connected to ${sshTarget.username}@${sshTarget.host}:${sshTarget.port}`, { stepId, serverId: target.serverId });
}

/** Runs a remote command for a step, streaming its output into the log; a non-zero exit fails the step. */
export async function runRemote(ctx: RunContext, target: Target, stepId: string, command: string, opts: RemoteOptions = {}): Promise<ExecResult> {
  if (!target.session) throw new StepError(`not connected to ${target.name}`);
  if (opts.show) ctx.sink.system(`$ ${opts.show}`, { stepId, serverId: target.serverId });
  const timeoutMs = opts.timeoutMs ?? env().DECKHAND_STEP_TIMEOUT_SECONDS * 1000;
  const execOptions = {
    stdin: opts.stdin,
    timeoutMs,
    signal: opts.signal ?? ctx.abort.signal,
    onOutput:
      opts.quiet === true
        ? undefined
        : (text: string, stream: "stdout" | "stderr") => {
            if (opts.quiet !== "stdout" || stream === "stderr") ctx.sink.append(stream, text, { stepId, serverId: target.serverId });
          },
  };
  try {
    const result = await target.session.exec(command, execOptions);
    if (result.heldOpen) ctx.sink.system(describeHeldOpen(result.heldOpen, result.exitCode), { stepId, serverId: target.serverId });
    return opts.allowFailure ? result : assertExitedZero(target.session.remote, command, result);
  } catch (err) {
    throw stepErrorFrom(err, target, timeoutMs);
  } finally {
    ctx.sink.endOutput({ stepId, serverId: target.serverId });
  }
}
