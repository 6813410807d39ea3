import type net from "node:net";
import type { Client } from "ssh2";
import { log } from "../log";
import { SshCancelledError, SshCommandFailedError, SshConnectionLostError, SshError } from "./errors";
import { KILL_GRACE_MS, RemoteCommand, type ExecOptions, type ExecResult } from "./remote-command";

export interface SshSession {
  /** Runs one command on its own channel; several may run one after another (or side by side) on one session. */
  exec(command: string, opts?: ExecOptions): Promise<ExecResult>;
  /** Kills still-running commands and closes the connection. Safe to call twice. */
  close(): void;
  /** "user@host:port", for log lines and messages. */
  readonly remote: string;
}

const DEFAULT_MAX_COLLECT_BYTES = 1024 * 1024;

/** An authenticated ssh2 connection and the commands running on it. */
export class Ssh2Session implements SshSession {
  private closed = false;
  private lostReason: string | null = null;
  private readonly running = new Set<RemoteCommand>();

  constructor(
    private readonly client: Client,
    private readonly socket: net.Socket,
    readonly remote: string,
  ) {}

  connectionLost(reason: string): void {
    if (this.lostReason !== null) return;
    this.lostReason = reason;
    if (!this.closed) log.warn({ remote: this.remote, reason }, "ssh connection lost");
    for (const command of this.running) command.connectionLost(reason);
    this.socket.destroy();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const stopping = [...this.running].map((command) => {
      command.stop("closed");
      return command.settled;
    });
    // Running commands are killed before we hang up: without a terminal, ending the connection alone
    // would leave them running on the server.
    const hangUp = () => {
      this.client.end();
      // A frozen server never acknowledges the disconnect; do not keep the socket (and the process) alive for it.
      setTimeout(() => this.socket.destroy(), KILL_GRACE_MS).unref();
    };
    if (stopping.length === 0) hangUp();
    else void Promise.allSettled(stopping).then(hangUp);
  }

  exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    if (this.closed) return Promise.reject(new SshError(`the SSH session to ${this.remote} is closed`, { command }));
    if (this.lostReason !== null) {
      return Promise.reject(new SshConnectionLostError(`the connection to ${this.remote} was lost: ${this.lostReason}`, { command }));
    }
    if (opts.signal?.aborted) return Promise.reject(new SshCancelledError(`cancelled before it started on ${this.remote}`, { command }));
    const limit = opts.maxCollectBytes ?? DEFAULT_MAX_COLLECT_BYTES;
    if (!Number.isInteger(limit) || limit < 0) return Promise.reject(new SshError("maxCollectBytes must be a non-negative integer", { command }));
    if (opts.timeoutMs !== undefined && !(opts.timeoutMs > 0)) return Promise.reject(new SshError("timeoutMs must be positive", { command }));

    const remoteCommand: RemoteCommand = new RemoteCommand(this.client, this.remote, command, opts, limit, () => this.running.delete(remoteCommand));
    // Before start(): a command that cannot even be sent finishes inside it.
    this.running.add(remoteCommand);
    return remoteCommand.start();
  }
}

/**
 * exec, but a non-zero exit or a signal becomes an SshCommandFailedError carrying the exit code and
 * stderr: for steps where anything but success is a failure.
 */
export async function execChecked(session: SshSession, command: string, opts?: ExecOptions): Promise<ExecResult> {
  return assertExitedZero(session.remote, command, await session.exec(command, opts));
}

/** The check execChecked makes, for a caller that looks at the result first (the deploy log notes a held channel). */
export function assertExitedZero(remote: string, command: string, result: ExecResult): ExecResult {
  if (result.exitCode === 0) return result;
  const how = result.exitCode === null ? `was ended by ${result.signal ?? "an unknown signal"}` : `exited with code ${result.exitCode}`;
  const lastLine = result.stderr.trimEnd().split("\n").at(-1);
  throw new SshCommandFailedError(`command ${how} on ${remote}${lastLine ? `: ${lastLine}` : ""}`, {
    command,
    exitCode: result.exitCode,
    stderr: result.stderr,
    signal: result.signal,
  });
}
