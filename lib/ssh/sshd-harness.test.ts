// The sshd test harness is what the deploy and health tests stand on, so its promises are tested too.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startSshd } from "../../test/harness/sshd";
import { connectSsh } from "./connect";
import { SshConnectError } from "./errors";
import { isFingerprint } from "./keys";

function sshdProcessesUsing(dir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(dir)) found.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return found;
}

/** Live (not zombie) processes whose command line is exactly `command`. */
function running(command: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const zombie = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) === "Z";
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
      if (!zombie && cmdline === command) found.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return found;
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

describe("startSshd", () => {
  it("starts several independent servers side by side", async () => {
    const servers = await Promise.all([startSshd(), startSshd(), startSshd()]);
    try {
      expect(new Set(servers.map((s) => s.port)).size).toBe(3);
      expect(new Set(servers.map((s) => s.hostKeyFingerprint)).size).toBe(3);
      for (const s of servers) {
        expect(s.host).toBe("127.0.0.1");
        expect(isFingerprint(s.hostKeyFingerprint)).toBe(true);
        expect(s.log()).toMatch(new RegExp(`Server listening on 127\\.0\\.0\\.1 port ${s.port}`));
        expect(s.publicKey).toMatch(/^ssh-ed25519 /);
        const session = await connectSsh(s.target(), { connectTimeoutMs: 5_000 });
        expect((await session.exec("echo $((6 * 7))")).stdout).toBe("42\n");
        session.close();
      }
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
  });

  it("stop() ends sshd and its sessions, frees the port and removes its files", async () => {
    const sshd = await startSshd();
    const dir = path.dirname(sshd.privateKeyPath);
    const session = await connectSsh(sshd.target(), { connectTimeoutMs: 5_000 });
    const pending = session.exec("sleep 30.0303").catch((e: unknown) => e);
    await expect.poll(() => running("sleep 30.0303")).toHaveLength(1);
    expect(sshdProcessesUsing(dir).length).toBeGreaterThan(0);
    await sshd.stop();
    await sshd.stop();
    expect(await pending).toBeInstanceOf(Error);
    expect(existsSync(dir)).toBe(false);
    expect(await refused(sshd.port)).toBe(true);
    expect(sshdProcessesUsing(dir)).toEqual([]);
    expect(running("sleep 30.0303")).toEqual([]);
    session.close();
  });

  it("kill() takes the host down at once; a new connection is refused", async () => {
    const sshd = await startSshd();
    try {
      sshd.kill();
      await expect.poll(() => refused(sshd.port)).toBe(true);
      await expect(connectSsh(sshd.target(), { connectTimeoutMs: 2_000 })).rejects.toBeInstanceOf(SshConnectError);
    } finally {
      await sshd.stop();
    }
  });

  it("serves an RSA host key and honours the log level", async () => {
    const sshd = await startSshd({ hostKey: "rsa", logLevel: "ERROR" });
    try {
      const session = await connectSsh(sshd.target(), { connectTimeoutMs: 5_000 });
      session.close();
      expect(sshd.log()).not.toMatch(/Accepted publickey/);
    } finally {
      await sshd.stop();
    }
  });

  it("names the package to install when sshd is missing", async () => {
    await expect(startSshd({ sshdPath: "/nonexistent/sshd" })).rejects.toThrow(/install the openssh-server package/);
  });
});
