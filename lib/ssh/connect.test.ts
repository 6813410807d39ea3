import { execFileSync } from "node:child_process";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSshd, type TestSshd } from "../../test/harness/sshd";
import { connectSsh, fetchHostKey } from "./connect";
import { HostKeyMismatchError, HostKeyNotPinnedError, SshCancelledError, SshConnectError, SshError } from "./errors";
import { generateEd25519KeyPair } from "./keys";

/** A TCP server that counts connections and never says a word: neither refuses nor speaks SSH. */
async function silentServer(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let count = 0;
  const server = net.createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    connections: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port that was just free on 127.0.0.1: nothing listens there, so a connect is refused. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  try {
    await fn();
    return { error: null, ms: performance.now() - started };
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
}

describe("connectSsh with a pinned host key", () => {
  let sshd: TestSshd;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => sshd?.stop());

  it("connects when the pin matches and reports the remote", async () => {
    const session = await connectSsh(sshd.target(), { connectTimeoutMs: 5_000 });
    try {
      expect(session.remote).toBe(`${sshd.username}@127.0.0.1:${sshd.port}`);
      // LOGNAME is the name sshd authenticated (the harness may log in as a uid-0 alias, so not `id -un`).
      const result = await session.exec('printf %s "$LOGNAME"');
      expect(result.stdout).toBe(sshd.username);
    } finally {
      session.close();
    }
  });

  it("the harness fingerprint is what ssh-keygen prints for the server's key", async () => {
    const scanned = execFileSync("/usr/bin/ssh-keyscan", ["-p", String(sshd.port), "-t", "ed25519", "127.0.0.1"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    const printed = execFileSync("/usr/bin/ssh-keygen", ["-l", "-E", "sha256", "-f", "-"], { input: scanned, encoding: "utf8" });
    expect(printed).toContain(sshd.hostKeyFingerprint);
  });

  it("fetchHostKey reports the fingerprint and type a later connect is checked against", async () => {
    const key = await fetchHostKey("127.0.0.1", sshd.port, 5_000);
    expect(key).toEqual({ fingerprint: sshd.hostKeyFingerprint, keyType: "ssh-ed25519" });
    const session = await connectSsh({ ...sshd.target(), hostKeyFingerprint: key.fingerprint }, { connectTimeoutMs: 5_000 });
    session.close();
  });

  it("refuses an unpinned host without opening a socket", async () => {
    const silent = await silentServer();
    try {
      const error = await connectSsh({ ...sshd.target(), port: silent.port, hostKeyFingerprint: null }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HostKeyNotPinnedError);
      expect((error as Error).message).toMatch(/refusing to connect to 127\.0\.0\.1:\d+: its host key fingerprint is not pinned/);
      await new Promise((r) => setTimeout(r, 100));
      expect(silent.connections()).toBe(0);
    } finally {
      await silent.close();
    }
  });

  it("refuses a malformed pin and an invalid target without connecting", async () => {
    await expect(connectSsh({ ...sshd.target(), hostKeyFingerprint: "MD5:aa:bb" })).rejects.toThrow(/pinned host key fingerprint .* is malformed/);
    const bad = await connectSsh({ ...sshd.target(), port: 70_000 }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(SshError);
    expect((bad as Error).message).toMatch(/invalid SSH target: port/);
    expect((bad as Error).message).not.toContain("PRIVATE KEY");
  });

  it("a key ssh2 cannot parse fails as an SshError that does not echo the key", async () => {
    const error = await connectSsh({ ...sshd.target(), privateKey: "not a key at all, secret-ish text" }, { connectTimeoutMs: 5_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SshError);
    expect((error as Error).message).toMatch(/private key for .* cannot be used/);
    expect((error as Error).message).not.toContain("secret-ish");
  });

  it("a signal aborted before or during connect cancels", async () => {
    await expect(connectSsh(sshd.target(), { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(SshCancelledError);
    const silent = await silentServer();
    try {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const { error, ms } = await timed(() => connectSsh({ ...sshd.target(), port: silent.port }, { connectTimeoutMs: 10_000, signal: controller.signal }));
      expect(error).toBeInstanceOf(SshCancelledError);
      expect(ms).toBeLessThan(1_000);
    } finally {
      await silent.close();
    }
  });
});

describe("host key mismatch", () => {
  it("is refused before authentication, with both fingerprints", async () => {
    // DEBUG1 makes sshd log every user-auth request it receives, so their absence means something.
    const sshd = await startSshd({ logLevel: "DEBUG1" });
    try {
      const wrongPin = generateEd25519KeyPair().fingerprint;
      const error = await connectSsh({ ...sshd.target(), hostKeyFingerprint: wrongPin }, { connectTimeoutMs: 5_000 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HostKeyMismatchError);
      const mismatch = error as HostKeyMismatchError;
      expect(mismatch.expected).toBe(wrongPin);
      expect(mismatch.presented).toBe(sshd.hostKeyFingerprint);
      expect(mismatch.message).toMatch(/host key of 127\.0\.0\.1:\d+ has changed/);
      expect(mismatch.message).toMatch(/refused before authentication/);

      // sshd saw the connection end during the key exchange…
      await sshd.waitForLog(/(Connection closed by|Disconnected from|Received disconnect from) 127\.0\.0\.1 port \d+/);
      const refusedPart = sshd.log();
      expect(refusedPart).toMatch(/Connection from 127\.0\.0\.1 port \d+/);
      // …and never received a user name, let alone a key or a signature.
      expect(refusedPart).not.toMatch(/userauth-request|Accepted|Failed publickey|Postponed|Failed none/);

      // Control: the same sshd logs exactly those lines for a connection that does authenticate.
      const session = await connectSsh(sshd.target(), { connectTimeoutMs: 5_000 });
      session.close();
      await sshd.waitForLog(/Accepted publickey/);
      const controlPart = sshd.log().slice(refusedPart.length);
      expect(controlPart).toMatch(/userauth-request for user/);
      expect(controlPart).toMatch(/Accepted publickey for/);
    } finally {
      await sshd.stop();
    }
  });

  it("after the server's key is rotated the old pin is refused, and the new one works", async () => {
    const sshd = await startSshd();
    try {
      const oldPin = sshd.hostKeyFingerprint;
      const before = await connectSsh(sshd.target(), { connectTimeoutMs: 5_000 });
      const newPin = await sshd.rotateHostKey();
      expect(newPin).not.toBe(oldPin);
      expect(sshd.hostKeyFingerprint).toBe(newPin);
      // A session opened before the rotation keeps working (only the listener restarted).
      expect((await before.exec("echo still")).stdout).toBe("still\n");
      before.close();

      const error = await connectSsh({ ...sshd.target(), hostKeyFingerprint: oldPin }, { connectTimeoutMs: 5_000 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HostKeyMismatchError);
      expect((error as HostKeyMismatchError).presented).toBe(newPin);
      expect((await fetchHostKey("127.0.0.1", sshd.port, 5_000)).fingerprint).toBe(newPin);
      const after = await connectSsh(sshd.target(), { connectTimeoutMs: 5_000 });
      after.close();
    } finally {
      await sshd.stop();
    }
  });

  it("an RSA host key is fetched, pinned and checked the same way", async () => {
    const sshd = await startSshd({ hostKey: "rsa" });
    try {
      const key = await fetchHostKey("127.0.0.1", sshd.port, 5_000);
      expect(key.keyType).toBe("ssh-rsa");
      expect(key.fingerprint).toBe(sshd.hostKeyFingerprint);
      const session = await connectSsh(sshd.target(), { connectTimeoutMs: 5_000 });
      expect((await session.exec("echo rsa")).stdout).toBe("rsa\n");
      session.close();
    } finally {
      await sshd.stop();
    }
  });
});

describe("unreachable hosts fail within the timeout", () => {
  const pin = generateEd25519KeyPair().fingerprint;
  const target = (port: number) => ({ host: "127.0.0.1", port, username: "root", privateKey: generateEd25519KeyPair().privateKey, hostKeyFingerprint: pin });

  it("a closed port is refused at once", async () => {
    const port = await closedPort();
    const { error, ms } = await timed(() => connectSsh(target(port), { connectTimeoutMs: 3_000 }));
    expect(error).toBeInstanceOf(SshConnectError);
    expect((error as Error).message).toBe(`cannot reach 127.0.0.1:${port}: connection refused`);
    expect(ms).toBeLessThan(1_000);
    const fetchError = await fetchHostKey("127.0.0.1", port, 3_000).catch((e: unknown) => e);
    expect(fetchError).toBeInstanceOf(SshConnectError);
  });

  it("a port that accepts but never speaks SSH times out, not hangs", async () => {
    const silent = await silentServer();
    try {
      const { error, ms } = await timed(() => connectSsh(target(silent.port), { connectTimeoutMs: 800 }));
      expect(error).toBeInstanceOf(SshConnectError);
      expect((error as Error).message).toBe(`timed out after 800 ms connecting to 127.0.0.1:${silent.port}`);
      expect(ms).toBeGreaterThanOrEqual(790);
      expect(ms).toBeLessThan(1_500);
      expect(silent.connections()).toBe(1);

      const fetched = await timed(() => fetchHostKey("127.0.0.1", silent.port, 600));
      expect(fetched.error).toBeInstanceOf(SshConnectError);
      expect(fetched.ms).toBeLessThan(1_300);
    } finally {
      await silent.close();
    }
  });

  it("a server that speaks something else fails the handshake clearly", async () => {
    const server = net.createServer((socket) => {
      // Read what the client sends, or the socket never sees the client's FIN and server.close() waits forever.
      socket.resume();
      socket.end("HTTP/1.1 400 Bad Request\r\n\r\n");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const { error, ms } = await timed(() => connectSsh(target(port), { connectTimeoutMs: 3_000 }));
      expect(error).toBeInstanceOf(SshConnectError);
      expect((error as Error).message).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}`));
      expect(ms).toBeLessThan(2_000);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("a frozen sshd (accepts, never answers) times out too", async () => {
    const sshd = await startSshd();
    try {
      sshd.freeze();
      const { error, ms } = await timed(() => connectSsh(sshd.target(), { connectTimeoutMs: 700 }));
      expect(error).toBeInstanceOf(SshConnectError);
      expect((error as Error).message).toMatch(/timed out after 700 ms/);
      expect(ms).toBeLessThan(1_400);
    } finally {
      sshd.thaw();
      await sshd.stop();
    }
  });
});
