import { randomBytes } from "node:crypto";
import net from "node:net";
import { performance } from "node:perf_hooks";
import { StringDecoder } from "node:string_decoder";
import ssh2, { type Client, type ClientChannel, type ServerHostKeyAlgorithm } from "ssh2";
import { z } from "zod";
import { env } from "../env";
import { log } from "../log";
import {
  HostKeyMismatchError,
  HostKeyNotPinnedError,
  SshCancelledError,
  SshCommandFailedError,
  SshCommandTimeoutError,
  SshConnectError,
  SshConnectionLostError,
  SshError,
} from "./errors";
import { fingerprintOfKeyBlob, isFingerprint, keyTypeOfKeyBlob } from "./keys";

export interface SshTarget {
  host: string;
  port: number;
  username: string;
  /** Unencrypted private key (OpenSSH or PEM). Never logged, never put into an error message. */
  privateKey: string;
  /** The pinned "SHA256:…" host key fingerprint; null means not verified yet, and connecting is refused. */
  hostKeyFingerprint: string | null;
}

export interface ConnectOptions {
  /** TCP connect + handshake + authentication must finish within this (default DECKHAND_SSH_CONNECT_TIMEOUT_MS). */
  connectTimeoutMs?: number;
  signal?: AbortSignal;
  /** SSH-level keepalive period; a peer that misses keepaliveCountMax in a row is treated as dead. */
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
}

export interface ExecOptions {
  /** Called with decoded text as it arrives; a multi-byte character split across packets is delivered whole. */
  onOutput?(text: string, stream: "stdout" | "stderr"): void;
  /** On expiry the remote process group gets SIGKILL and the promise rejects with SshCommandTimeoutError. */
  timeoutMs?: number;
  /** On abort the remote process group gets SIGKILL and the promise rejects with SshCancelledError. */
  signal?: AbortSignal;
  /** Written to the command's standard input, which is then closed (it is closed at once when absent). */
  stdin?: string;
  /** At most this many bytes of each stream are kept in the result (default 1 MiB); onOutput still sees everything. */
  maxCollectBytes?: number;
}

export interface ExecResult {
  /** null when the command was ended by a signal (or the server sent no status). */
  exitCode: number | null;
  /** The signal that ended the command, Node style ("SIGKILL"), else null. */
  signal: string | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** Whether stdout/stderr were cut at maxCollectBytes. */
  truncated: { stdout: boolean; stderr: boolean };
}

export interface SshSession {
  /** Runs one command on its own channel; several may run one after another (or side by side) on one session. */
  exec(command: string, opts?: ExecOptions): Promise<ExecResult>;
  /** Kills still-running commands and closes the connection. Safe to call twice. */
  close(): void;
  /** "user@host:port", for log lines and messages. */
  readonly remote: string;
}

export interface HostKeyInfo {
  fingerprint: string;
  /** "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256"… */
  keyType: string;
}

// ssh2 is CommonJS; Node's ESM loader (tsx, scripts) cannot see its named exports, only the default.
const { Client: Ssh2Client } = ssh2;

const DEFAULT_MAX_COLLECT_BYTES = 1024 * 1024;
const DEFAULT_KEEPALIVE_INTERVAL_MS = 10_000;
const DEFAULT_KEEPALIVE_COUNT_MAX = 3;
/** How long a killed command's channel may take to confirm it closed before we stop waiting. */
const KILL_GRACE_MS = 2_000;

/**
 * fetchHostKey and connectSsh must negotiate the same host key type, or a host with several keys would
 * show the human one fingerprint and present another at deploy time. ed25519 first: fastest to verify.
 */
const SERVER_HOST_KEY_ALGORITHMS: readonly ServerHostKeyAlgorithm[] = [
  "ssh-ed25519",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "rsa-sha2-512",
  "rsa-sha2-256",
  "ssh-rsa",
];

const targetSchema = z.object({
  host: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[^\s/]+$/, "must be a host name or IP address"),
  port: z.number().int().min(1).max(65535),
  username: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[^\s:@]+$/, "must be a plain user name"),
  privateKey: z.string().min(1),
  hostKeyFingerprint: z.string().nullable(),
});

function hostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

function parseTarget(target: SshTarget): SshTarget {
  const parsed = targetSchema.safeParse(target);
  if (!parsed.success) {
    // Only path and message: the issue must not echo the private key back into a log.
    const issue = parsed.error.issues[0]!;
    throw new SshError(`invalid SSH target: ${issue.path.join(".")} ${issue.message}`);
  }
  return parsed.data;
}

type Ssh2Error = Error & { level?: string; code?: string | number };

function socketReason(code: string | number | undefined, message: string): string {
  switch (code) {
    case "ECONNREFUSED":
      return "connection refused";
    case "EHOSTUNREACH":
      return "host unreachable";
    case "ENETUNREACH":
      return "network unreachable";
    case "ECONNRESET":
      return "connection reset by the server";
    case "ETIMEDOUT":
      return "connection timed out";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "host name not found";
    default:
      return message;
  }
}

/** Turns what ssh2 emits before "ready" into one of our errors with a sentence a human can act on. */
function connectError(err: Ssh2Error, where: string, username: string): SshError {
  switch (err.level) {
    case "client-socket":
    case "client-dns":
      return new SshConnectError(`cannot reach ${where}: ${socketReason(err.code, err.message)}`, { cause: err });
    case "client-authentication":
      return new SshConnectError(
        `authentication failed for ${username}@${where}: the server did not accept the key (is its public key in the user's authorized_keys?)`,
        { cause: err },
      );
    case "client-timeout":
      return new SshConnectError(`timed out connecting to ${where}: ${err.message}`, { cause: err });
    default:
      return new SshConnectError(`SSH handshake with ${where} failed: ${err.message}`, { cause: err });
  }
}

/**
 * We open the TCP socket ourselves and hand it to ssh2 so that giving up always really closes it:
 * ssh2's destroy() skips a socket it no longer considers writable, which left half-closed sockets
 * (and the peer's server.close()) hanging after a failed handshake.
 */
function openSocket(host: string, port: number): net.Socket {
  const socket = new net.Socket();
  // ssh2 reports socket errors itself; this keeps one raised before ssh2 is attached from being fatal.
  socket.on("error", () => undefined);
  // SSH trades many small packets; Nagle plus delayed ACKs would add tens of ms per round trip.
  socket.setNoDelay(true);
  socket.connect({ host, port });
  return socket;
}

/**
 * Connects, checks the server's host key against the pin during the key exchange, and authenticates
 * with the target's key. A wrong key fails in the key exchange, before our user name is ever sent.
 */
export async function connectSsh(target: SshTarget, opts: ConnectOptions = {}): Promise<SshSession> {
  const t = parseTarget(target);
  const where = hostPort(t.host, t.port);
  const pinned = t.hostKeyFingerprint;
  if (pinned === null) throw new HostKeyNotPinnedError(where);
  if (!isFingerprint(pinned)) throw new SshError(`the pinned host key fingerprint of ${where} is malformed (expected SHA256:…): pin it again`);
  if (opts.signal?.aborted) throw new SshCancelledError(`connecting to ${where} was cancelled`);
  const timeoutMs = opts.connectTimeoutMs ?? env().DECKHAND_SSH_CONNECT_TIMEOUT_MS;
  const remote = `${t.username}@${where}`;
  const started = performance.now();

  return new Promise<SshSession>((resolve, reject) => {
    const socket = openSocket(t.host, t.port);
    const client = new Ssh2Client();
    let presented: string | null = null;
    let settled = false;
    let session: Ssh2Session | null = null;

    const cleanup = () => {
      clearTimeout(timer);
      opts.signal?.removeEventListener("abort", onAbort);
    };
    const fail = (error: SshError) => {
      if (settled) return;
      settled = true;
      cleanup();
      socket.destroy();
      reject(error);
    };
    const onAbort = () => fail(new SshCancelledError(`connecting to ${where} was cancelled`));
    // One clock for the whole attempt (TCP, banner, key exchange, authentication), so a port that
    // accepts and then never speaks fails just like one that never accepts.
    const timer = setTimeout(() => fail(new SshConnectError(`timed out after ${timeoutMs} ms connecting to ${where}`)), timeoutMs);
    opts.signal?.addEventListener("abort", onAbort, { once: true });

    client.on("error", (err: Ssh2Error) => {
      if (session) return session.connectionLost(err.message);
      if (presented !== null && presented !== pinned) return fail(new HostKeyMismatchError(where, pinned, presented));
      fail(connectError(err, where, t.username));
    });
    client.on("close", () => {
      if (session) return session.connectionLost("the connection was closed");
      fail(new SshConnectError(`the connection to ${where} was closed during the SSH handshake`));
    });
    client.on("ready", () => {
      if (settled) {
        socket.destroy();
        return;
      }
      settled = true;
      cleanup();
      session = new Ssh2Session(client, socket, remote);
      log.debug({ remote, ms: Math.round(performance.now() - started) }, "ssh connected");
      resolve(session);
    });

    try {
      client.connect({
        sock: socket,
        username: t.username,
        privateKey: t.privateKey,
        // Straight to publickey: the default order tries "none" first, a wasted round trip.
        authHandler: ["publickey"],
        hostVerifier: (key: Buffer): boolean => {
          presented = fingerprintOfKeyBlob(key);
          return presented === pinned;
        },
        algorithms: { serverHostKey: [...SERVER_HOST_KEY_ALGORITHMS] },
        readyTimeout: 0,
        keepaliveInterval: opts.keepaliveIntervalMs ?? DEFAULT_KEEPALIVE_INTERVAL_MS,
        keepaliveCountMax: opts.keepaliveCountMax ?? DEFAULT_KEEPALIVE_COUNT_MAX,
      });
    } catch (err) {
      // ssh2 throws synchronously for a key it cannot parse; its message names the format, not the key.
      fail(new SshError(`the private key for ${remote} cannot be used: ${(err as Error).message}`, { cause: err }));
    }
  });
}

/**
 * Connects just far enough to see the server's host key, then hangs up before authenticating. The key
 * is reported only after the server has proven it holds the private half (the key exchange signature),
 * so what a human is asked to accept is what a later connectSsh will see.
 */
export async function fetchHostKey(host: string, port: number, timeoutMs?: number): Promise<HostKeyInfo> {
  const t = parseTarget({ host, port, username: "deckhand", privateKey: "-", hostKeyFingerprint: null });
  const where = hostPort(t.host, t.port);
  const limit = timeoutMs ?? env().DECKHAND_SSH_CONNECT_TIMEOUT_MS;

  return new Promise<HostKeyInfo>((resolve, reject) => {
    const socket = openSocket(t.host, t.port);
    const client = new Ssh2Client();
    let key: Buffer | null = null;
    let settled = false;
    const settle = (outcome: { info: HostKeyInfo } | { error: SshError }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if ("info" in outcome) resolve(outcome.info);
      else reject(outcome.error);
    };
    const timer = setTimeout(() => settle({ error: new SshConnectError(`timed out after ${limit} ms connecting to ${where}`) }), limit);

    client.on("handshake", () => {
      if (!key) return settle({ error: new SshConnectError(`the SSH server at ${where} presented no host key`) });
      let keyType: string;
      try {
        keyType = keyTypeOfKeyBlob(key);
      } catch (err) {
        return settle({ error: new SshConnectError(`the SSH server at ${where} presented a malformed host key`, { cause: err }) });
      }
      settle({ info: { fingerprint: fingerprintOfKeyBlob(key), keyType } });
    });
    client.on("error", (err: Ssh2Error) => settle({ error: connectError(err, where, t.username) }));
    client.on("close", () => settle({ error: new SshConnectError(`the connection to ${where} was closed during the SSH handshake`) }));

    client.connect({
      sock: socket,
      username: t.username,
      // No credential exists here, and none may be tried even if the hang-up were late.
      authHandler: [],
      hostVerifier: (presented: Buffer): boolean => {
        key = Buffer.from(presented);
        return true;
      },
      algorithms: { serverHostKey: [...SERVER_HOST_KEY_ALGORITHMS] },
      readyTimeout: 0,
    });
  });
}

/** Decodes one output stream as UTF-8 across chunk boundaries and keeps a bounded copy of the raw bytes. */
class OutputStream {
  private readonly decoder = new StringDecoder("utf8");
  private readonly kept: Buffer[] = [];
  private keptBytes = 0;
  truncated = false;

  constructor(
    private readonly limit: number,
    private readonly emit: (text: string) => void,
  ) {}

  push(chunk: Buffer): void {
    const room = this.limit - this.keptBytes;
    if (room > 0) {
      // Copied: the chunk may be a view into a buffer ssh2 reuses.
      const part = Buffer.from(chunk.subarray(0, room));
      this.kept.push(part);
      this.keptBytes += part.length;
    }
    if (chunk.length > room) this.truncated = true;
    const text = this.decoder.write(chunk);
    if (text) this.emit(text);
  }

  end(): void {
    const rest = this.decoder.end();
    if (rest) this.emit(rest);
  }

  text(): string {
    const bytes = Buffer.concat(this.kept);
    // A cut can fall inside a character; write() without end() drops that incomplete tail.
    return this.truncated ? new StringDecoder("utf8").write(bytes) : bytes.toString("utf8");
  }
}

/** The parts of an ssh2 (1.17, pinned) channel that sendSignal needs; not in its public types. */
interface ChannelInternals {
  outgoing?: { id: number; state: string };
  _client?: { _protocol?: { signal(channelId: number, signalName: string): void } };
}

/**
 * Sends a "signal" channel request, which OpenSSH (7.9+) delivers with killpg() to the session's
 * process group. ssh2's own channel.signal() refuses once we have sent EOF on stdin (every exec does,
 * at once) although the protocol allows requests until the channel closes, so the request goes to
 * ssh2's protocol layer directly.
 */
function sendSignal(channel: ClientChannel, signalName: string): void {
  const internals = channel as unknown as ChannelInternals;
  const state = internals.outgoing?.state;
  const protocol = internals._client?._protocol;
  if (internals.outgoing && protocol && (state === "open" || state === "eof")) {
    protocol.signal(internals.outgoing.id, signalName);
  } else {
    channel.signal(signalName);
  }
}

/**
 * Every command is prefixed with one line that prints a random marker and the shell's pid to stdout;
 * exec strips that line from the output. sshd starts each session's shell with setsid(), so the pid
 * is also the process group of everything the command starts, which is what a kill must reach.
 *
 * Why not only the "signal" request: OpenSSH refuses it for root logins ("session signalling requires
 * privilege separation": root sessions run without the post-auth privsep child), and root is a common
 * deploy user. So a stopped command's group is also killed from a second channel with kill(1).
 */
function withPidAnnouncement(command: string, marker: string): string {
  return `printf '%s%s\\n' '${marker}' "$$"\n${command}`;
}

/** How far into stdout the marker is looked for (shell start-up files may print first) before giving up. */
const MARKER_SEARCH_LIMIT = 64 * 1024;

type StopReason = "timeout" | "cancelled" | "closed";

interface RunningCommand {
  stop(reason: StopReason): void;
  lost(reason: string): void;
  readonly settled: Promise<void>;
}

class Ssh2Session implements SshSession {
  private closed = false;
  private lostReason: string | null = null;
  private readonly running = new Set<RunningCommand>();

  constructor(
    private readonly client: Client,
    private readonly socket: net.Socket,
    readonly remote: string,
  ) {}

  connectionLost(reason: string): void {
    if (this.lostReason !== null) return;
    this.lostReason = reason;
    if (!this.closed) log.warn({ remote: this.remote, reason }, "ssh connection lost");
    for (const command of this.running) command.lost(reason);
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

    const { client, remote } = this;
    const started = performance.now();
    const marker = `deckhand-pid-${randomBytes(8).toString("hex")}:`;

    let markSettled!: () => void;
    const settledSignal = new Promise<void>((resolve) => (markSettled = resolve));

    const promise = new Promise<ExecResult>((resolve, reject) => {
      let channel: ClientChannel | null = null;
      let settled = false;
      let stopReason: StopReason | null = null;
      let callbackError: unknown = null;
      let exitCode: number | null = null;
      let exitSignal: string | null = null;
      let channelClosed = false;
      let stderrEnded = false;
      let pid: number | null = null;
      let killerStarted = false;
      /** stdout held back until the marker line is seen and cut out; null once that is done. */
      let beforeMarker: Buffer | null = Buffer.alloc(0);
      let graceTimer: NodeJS.Timeout | undefined;

      const deliver = (text: string, stream: "stdout" | "stderr") => {
        if (!opts.onOutput || callbackError !== null) return;
        try {
          opts.onOutput(text, stream);
        } catch (err) {
          // The caller can no longer record output, so running on would be running blind.
          callbackError = err;
          stop("cancelled");
        }
      };
      const stdout = new OutputStream(limit, (text) => deliver(text, "stdout"));
      const stderr = new OutputStream(limit, (text) => deliver(text, "stderr"));
      const failureDetails = () => ({ command, exitCode, stderr: stderr.text() });

      const finish = (error: SshError | null) => {
        if (settled) return;
        settled = true;
        this.running.delete(running);
        clearTimeout(timeoutTimer);
        clearTimeout(graceTimer);
        opts.signal?.removeEventListener("abort", onAbort);
        markSettled();
        if (error) return reject(error);
        resolve({
          exitCode,
          signal: exitSignal,
          stdout: stdout.text(),
          stderr: stderr.text(),
          durationMs: Math.round(performance.now() - started),
          truncated: { stdout: stdout.truncated, stderr: stderr.truncated },
        });
      };

      const stoppedError = (): SshError | null => {
        const details = failureDetails();
        if (callbackError !== null) return new SshError("the onOutput callback threw; the command was killed", { ...details, cause: callbackError });
        switch (stopReason) {
          case "timeout":
            return new SshCommandTimeoutError(`command timed out after ${opts.timeoutMs} ms on ${remote} and was killed`, details);
          case "cancelled":
            return new SshCancelledError(`command cancelled on ${remote} and killed`, details);
          case "closed":
            return new SshCancelledError(`the SSH session to ${remote} was closed while the command was running; it was killed`, details);
          case null:
            return null;
        }
      };

      const flushBeforeMarker = () => {
        if (beforeMarker === null) return;
        const held = beforeMarker;
        beforeMarker = null;
        if (held.length > 0) stdout.push(held);
      };

      const maybeFinish = () => {
        if (channelClosed && stderrEnded) finish(stoppedError());
      };

      /**
       * Kills the command's process group from a second channel. The command's channel is then left to
       * close by itself: sshd closes it once every process holding its stdout/stderr has exited, so the
       * promise settles after the processes are gone, not merely signalled (the grace timer bounds the wait).
       */
      const killGroup = (ch: ClientChannel) => {
        if (killerStarted || pid === null) return;
        killerStarted = true;
        try {
          client.exec(`kill -s KILL -- -${pid} 2>/dev/null || kill -s KILL ${pid} 2>/dev/null; true`, (err, killer) => {
            if (err) return ch.close();
            killer.resume();
            killer.stderr.resume();
            killer.end();
          });
        } catch {
          ch.close();
        }
      };

      const beginKill = (ch: ClientChannel) => {
        sendSignal(ch, "KILL");
        // Without a pid yet (still in shell start-up) the kill waits for it: closing now would stop the
        // output that carries it.
        if (pid !== null) killGroup(ch);
        graceTimer = setTimeout(() => {
          ch.close();
          finish(stoppedError());
        }, KILL_GRACE_MS);
      };

      function stop(reason: StopReason) {
        if (settled || stopReason !== null) return;
        stopReason = reason;
        if (channel) beginKill(channel);
      }

      const running: RunningCommand = {
        stop,
        lost: (reason) =>
          finish(new SshConnectionLostError(`the connection to ${remote} was lost while a command was running: ${reason}`, failureDetails())),
        settled: settledSignal,
      };
      this.running.add(running);

      const onStdout = (ch: ClientChannel, chunk: Buffer) => {
        if (beforeMarker === null) return stdout.push(chunk);
        beforeMarker = Buffer.concat([beforeMarker, chunk]);
        const at = beforeMarker.indexOf(marker);
        if (at === -1) {
          if (beforeMarker.length > MARKER_SEARCH_LIMIT) flushBeforeMarker();
          return;
        }
        const lineEnd = beforeMarker.indexOf(0x0a, at);
        if (lineEnd === -1) return;
        const announced = beforeMarker.subarray(at + marker.length, lineEnd).toString("latin1");
        if (/^[1-9]\d{0,9}$/.test(announced)) pid = Number(announced);
        const before = beforeMarker.subarray(0, at);
        const after = beforeMarker.subarray(lineEnd + 1);
        beforeMarker = null;
        if (before.length > 0) stdout.push(before);
        if (after.length > 0) stdout.push(after);
        if (stopReason !== null) killGroup(ch);
      };

      const onAbort = () => stop("cancelled");
      opts.signal?.addEventListener("abort", onAbort, { once: true });
      const timeoutTimer = opts.timeoutMs === undefined ? undefined : setTimeout(() => stop("timeout"), opts.timeoutMs);

      const onChannel = (err: Error | undefined, ch: ClientChannel) => {
        if (settled) {
          // The connection was lost or closed while the channel opened: make sure nothing runs on.
          if (!err) ch.close();
          return;
        }
        if (err) return finish(new SshError(`could not start a command on ${remote}: ${err.message}`, { command, cause: err }));
        channel = ch;
        ch.on("data", (chunk: Buffer) => onStdout(ch, chunk));
        ch.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
        ch.stderr.on("end", () => {
          stderr.end();
          stderrEnded = true;
          maybeFinish();
        });
        ch.on("exit", (...args: unknown[]) => {
          // ssh2 emits (code) for exit-status and (null, "SIGKILL", …) for exit-signal.
          exitCode = typeof args[0] === "number" ? args[0] : null;
          exitSignal = typeof args[1] === "string" ? args[1] : null;
        });
        // ssh2 emits "close" only after stdout has ended, so stdout is complete here.
        ch.on("close", () => {
          flushBeforeMarker();
          stdout.end();
          channelClosed = true;
          maybeFinish();
        });
        ch.on("error", (channelErr: Error) =>
          finish(new SshError(`channel error on ${remote}: ${channelErr.message}`, { ...failureDetails(), cause: channelErr })),
        );
        // EOF on stdin either way, so a command that reads stdin ends instead of waiting forever.
        if (opts.stdin !== undefined) ch.end(opts.stdin);
        else ch.end();
        if (stopReason !== null) beginKill(ch);
      };

      try {
        client.exec(withPidAnnouncement(command, marker), onChannel);
      } catch (err) {
        finish(new SshConnectionLostError(`the connection to ${remote} is not open: ${(err as Error).message}`, { command, cause: err }));
      }
    });
    return promise;
  }
}

/**
 * exec, but a non-zero exit or a signal becomes an SshCommandFailedError carrying the exit code and
 * stderr: for steps where anything but success is a failure.
 */
export async function execChecked(session: SshSession, command: string, opts?: ExecOptions): Promise<ExecResult> {
  const result = await session.exec(command, opts);
  if (result.exitCode === 0) return result;
  const how = result.exitCode === null ? `was ended by ${result.signal ?? "an unknown signal"}` : `exited with code ${result.exitCode}`;
  const lastLine = result.stderr.trimEnd().split("\n").at(-1);
  throw new SshCommandFailedError(`command ${how} on ${session.remote}${lastLine ? `: ${lastLine}` : ""}`, {
    command,
    exitCode: result.exitCode,
    stderr: result.stderr,
    signal: result.signal,
  });
}
