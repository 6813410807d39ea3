/**
 * Errors thrown by lib/ssh. They carry what a deploy log or an operator needs (the command, its exit
 * code, its stderr) and never the private key. lib/deploy maps them to user messages.
 */
export interface SshErrorDetails {
  command?: string;
  exitCode?: number | null;
  stderr?: string;
  cause?: unknown;
}

export class SshError extends Error {
  command?: string;
  exitCode?: number | null;
  stderr?: string;

  constructor(message: string, details: SshErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    if (details.command !== undefined) this.command = details.command;
    if (details.exitCode !== undefined) this.exitCode = details.exitCode;
    if (details.stderr !== undefined) this.stderr = details.stderr;
  }
}

/** The host could not be reached, refused, did not answer in time, or rejected our key. */
export class SshConnectError extends SshError {}

/**
 * The server presented a host key other than the pinned one. Raised from the key exchange, so the
 * connection is dropped before any user name, key or signature is sent.
 */
export class HostKeyMismatchError extends SshError {
  constructor(
    readonly remote: string,
    readonly expected: string,
    readonly presented: string,
  ) {
    super(`the host key of ${remote} has changed: expected ${expected}, the server presented ${presented}. ` + "The connection was refused before authentication; if the change is intended, verify the new fingerprint and pin it again.");
  }
}

/** There is no pinned fingerprint, so there is nothing to check the server against: no socket is opened. */
export class HostKeyNotPinnedError extends SshError {
  constructor(readonly remote: string) {
    super(`refusing to connect to ${remote}: its host key fingerprint is not pinned (verify the connection and accept the fingerprint first)`);
  }
}

/** The command ran past its time limit; its remote process group was sent SIGKILL and the channel closed. */
export class SshCommandTimeoutError extends SshError {}

/** The caller aborted the command or the connection attempt; a running remote process group was sent SIGKILL. */
export class SshCancelledError extends SshError {}

/** The connection dropped (peer died, keepalive unanswered, closed) while a command was running. */
export class SshConnectionLostError extends SshError {}

/** A command ended with a non-zero exit code or a signal (thrown by execChecked, never by exec). */
export class SshCommandFailedError extends SshError {
  readonly signal: string | null;

  constructor(message: string, details: SshErrorDetails & { signal: string | null }) {
    super(message, details);
    this.signal = details.signal;
  }
}
