import net from "node:net";
import { performance } from "node:perf_hooks";
import ssh2, { type ServerHostKeyAlgorithm } from "ssh2";
import { z } from "zod";
import { env } from "../env";
import { log } from "../log";
import { HostKeyMismatchError, HostKeyNotPinnedError, SshCancelledError, SshConnectError, SshError } from "./errors";
import { fingerprintOfKeyBlob, isFingerprint, keyTypeOfKeyBlob } from "./keys";
import { Ssh2Session, type SshSession } from "./session";

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

export interface HostKeyInfo {
  fingerprint: string;
  /** "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256"… */
  keyType: string;
}

// ssh2 is CommonJS; Node's ESM loader (tsx, scripts) cannot see its named exports, only the default.
const { Client: Ssh2Client } = ssh2;

const DEFAULT_KEEPALIVE_INTERVAL_MS = 10_000;
const DEFAULT_KEEPALIVE_COUNT_MAX = 3;

/**
 * fetchHostKey and connectSsh must negotiate the same host key type, or a host with several keys would
 * show the human one fingerprint and present another at deploy time. ed25519 first: fastest to verify.
 */
const SERVER_HOST_KEY_ALGORITHMS: readonly ServerHostKeyAlgorithm[] = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"];

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
      return new SshConnectError(`authentication failed for ${username}@${where}: the server did not accept the key (is its public key in the user's authorized_keys?)`, { cause: err });
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
