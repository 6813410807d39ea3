import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { SshTarget } from "../../lib/ssh";
import { generateEd25519KeyPair } from "../../lib/ssh/keys";
import { generateHostKey, loginUser, preflight, sshdConfig } from "./sshd";

/**
 * Several real hosts on one machine: each is an sshd in its own network namespace (its own loopback, so
 * every host runs the app on the same port, as real servers would) and its own mount namespace, where a
 * per-host folder is bound at FLEET_ROOT (so every host has its own deploy path). The tests reach each
 * host over a veth pair at 10.213.x.y — an address of a namespace the test made itself, never outside.
 */
export const FLEET_ROOT = "/srv/deckhand-fleet";

export interface FleetHost {
  name: string;
  host: string;
  port: number;
  username: string;
  privateKey: string;
  hostKeyFingerprint: string;
  /** This host's FLEET_ROOT as seen from the test (outside the host's mount namespace). */
  root: string;
  target(): SshTarget;
}

export interface Fleet {
  hosts: FleetHost[];
  stop(): Promise<void>;
}

function ip(...args: string[]): void {
  execFileSync("ip", args, { stdio: ["ignore", "ignore", "pipe"] });
}

function waitForPort(host: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect({ host, port });
      socket.once("connect", () => {
        socket.destroy();
        resolve();
      });
      socket.once("error", () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`sshd at ${host}:${port} did not come up`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

export async function startFleet(count: number): Promise<Fleet> {
  if (os.userInfo().uid !== 0) throw new Error("fleet tests need root (network namespaces): run them as root, as CI does");
  // /run/sshd and the binaries: a run of the scale test alone (no vitest before it) needs them too.
  preflight("/usr/sbin/sshd");
  const id = randomBytes(2).toString("hex");
  const subnet = 1 + (randomBytes(1)[0]! % 250);
  const username = loginUser();
  const client = generateEd25519KeyPair("deckhand-fleet-test");
  const dir = mkdtempSync(path.join(os.tmpdir(), "deckhand-fleet-"));
  chmodSync(dir, 0o755);
  const authorizedKeys = path.join(dir, "authorized_keys");
  writeFileSync(authorizedKeys, `${client.publicKey}\n`, { mode: 0o600 });
  mkdirSync(FLEET_ROOT, { recursive: true });

  const namespaces: string[] = [];
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const c of children) c.kill("SIGKILL");
    for (const ns of namespaces) {
      try {
        const pids = execFileSync("ip", ["netns", "pids", ns], { encoding: "utf8" }).split("\n").filter(Boolean);
        for (const pid of pids) {
          try {
            process.kill(Number(pid), "SIGKILL");
          } catch {
            // already gone
          }
        }
        ip("netns", "del", ns);
      } catch {
        // already removed
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const hosts: FleetHost[] = [];
    for (let i = 0; i < count; i++) {
      const ns = `dhf${id}${i}`;
      const outside = `10.213.${subnet}.${4 * i + 1}`;
      const inside = `10.213.${subnet}.${4 * i + 2}`;
      ip("netns", "add", ns);
      namespaces.push(ns);
      ip("link", "add", `dhh${id}${i}`, "type", "veth", "peer", "name", `dhn${id}${i}`);
      ip("link", "set", `dhn${id}${i}`, "netns", ns);
      ip("addr", "add", `${outside}/30`, "dev", `dhh${id}${i}`);
      ip("link", "set", `dhh${id}${i}`, "up");
      ip("netns", "exec", ns, "ip", "addr", "add", `${inside}/30`, "dev", `dhn${id}${i}`);
      ip("netns", "exec", ns, "ip", "link", "set", `dhn${id}${i}`, "up");
      ip("netns", "exec", ns, "ip", "link", "set", "lo", "up");

      const hostDir = path.join(dir, `host${i}`);
      const root = path.join(hostDir, "root");
      mkdirSync(root, { recursive: true });
      const hostKey = generateHostKey(hostDir, "ed25519");
      const config = path.join(hostDir, "sshd_config");
      writeFileSync(config, sshdConfig({ listenAddress: inside, port: 22, hostKeyFile: hostKey.file, authorizedKeys, pidFile: path.join(hostDir, "sshd.pid"), logLevel: "ERROR" }));
      const child = spawn("ip", ["netns", "exec", ns, "unshare", "--mount", "--propagation", "private", "sh", "-c", `mount --bind "$0" ${FLEET_ROOT} && exec /usr/sbin/sshd -D -e -f "$1"`, root, config], {
        stdio: ["ignore", "ignore", "pipe"],
      });
      children.push(child);
      await waitForPort(inside, 22, 10_000);
      const host: FleetHost = {
        name: `host-${i + 1}`,
        host: inside,
        port: 22,
        username,
        privateKey: client.privateKey,
        hostKeyFingerprint: hostKey.fingerprint,
        root,
        target: () => ({ host: inside, port: 22, username, privateKey: client.privateKey, hostKeyFingerprint: hostKey.fingerprint }),
      };
      hosts.push(host);
    }
    return { hosts, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
