/**
 * A real OpenSSH server for tests: /usr/sbin/sshd on 127.0.0.1, a free port, its own host key, a fresh
 * client key in a throwaway AuthorizedKeysFile, everything in one temp dir removed on stop().
 * Tests never mock sshd; they start one of these.
 */
import { execFileSync, spawnSync, spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { SshTarget } from "../../lib/ssh";
import { fingerprintOfKeyBlob, generateEd25519KeyPair } from "../../lib/ssh/keys";
import { freePort } from "./ports";

export const SSHD_PATH = "/usr/sbin/sshd";
const SSH_KEYGEN_PATH = "/usr/bin/ssh-keygen";
const SETPRIV_PATH = "/usr/bin/setpriv";
const START_TIMEOUT_MS = 10_000;

export interface StartSshdOptions {
  hostKey?: "ed25519" | "rsa";
  /** sshd LogLevel (QUIET, FATAL, ERROR, INFO, VERBOSE, DEBUG1…). Default VERBOSE: auth attempts are logged. */
  logLevel?: string;
  /** Absolute path of the sshd binary (default /usr/sbin/sshd). */
  sshdPath?: string;
}

export interface TestSshd {
  host: "127.0.0.1";
  port: number;
  /** The user the tests run as (root here); the generated client key is authorized for it. */
  username: string;
  privateKey: string;
  /** The client key as an authorized_keys line. */
  publicKey: string;
  /** Path of privateKey on disk (mode 0600), for the OpenSSH client: ssh -i <path>. */
  privateKeyPath: string;
  /** The current host key's fingerprint (changes after rotateHostKey). */
  readonly hostKeyFingerprint: string;
  /** A target pinned to the current host key. */
  target(): SshTarget;
  /** Adds another authorized_keys line (sshd reads the file on every login, so no restart). */
  authorizeKey(publicKeyLine: string): void;
  /** Everything sshd wrote to stderr so far, across restarts. */
  log(): string;
  /** Waits until the log matches, or fails with the log in the message. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Restarts sshd on the same port with a new host key; returns the new fingerprint. Open sessions survive. */
  rotateHostKey(): Promise<string>;
  /** SIGSTOP the listener and every session under it: a host that hangs without closing its sockets. */
  freeze(): void;
  /** SIGCONT what freeze() stopped. */
  thaw(): void;
  /** Terminates sshd, its sessions and their commands, and removes the temp dir. Safe to call twice. */
  stop(): Promise<void>;
  /** SIGKILL to sshd and everything under it (sessions, remote commands): the host died. The temp dir stays until stop(). */
  kill(): void;
}

interface Instance {
  listener: ChildProcess | null;
  dir: string;
}

/** Every sshd this process started, so an aborted test run does not leave one behind. */
const live = new Set<Instance>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const instance of live) {
      if (instance.listener?.pid) killTree(instance.listener.pid, "SIGKILL");
      rmSync(instance.dir, { recursive: true, force: true });
    }
  });
}

/** Children of each pid, read from /proc (sshd sessions call setsid, so a process group kill misses them). */
function descendantsOf(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // exited while we looked
    }
    // The command name is in parentheses and may contain spaces; the ppid is the second field after it.
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  const found: number[] = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function signalPids(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** Signals the listener and all its descendants; the tree is read first so nothing is reparented away mid-way. */
function killTree(rootPid: number, signal: NodeJS.Signals): void {
  signalPids([rootPid, ...descendantsOf(rootPid)], signal);
}

/** Whether a pid still runs: a zombie (exited, not yet reaped by its parent) does not count. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** SIGKILL takes effect when the process is next scheduled; wait for that, so stop() means stopped. */
async function waitUntilGone(pids: number[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(running) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}

export function generateHostKey(dir: string, type: "ed25519" | "rsa"): { file: string; fingerprint: string } {
  const file = path.join(dir, `host_${type}_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`);
  const args = type === "rsa" ? ["-t", "rsa", "-b", "2048"] : ["-t", "ed25519"];
  execFileSync(SSH_KEYGEN_PATH, [...args, "-q", "-N", "", "-C", "deckhand-test-host", "-f", file], { stdio: "ignore" });
  const blob = Buffer.from(readFileSync(`${file}.pub`, "utf8").trim().split(/\s+/)[1] ?? "", "base64");
  return { file, fingerprint: fingerprintOfKeyBlob(blob) };
}

export function sshdConfig(opts: { listenAddress?: string; port: number; hostKeyFile: string; authorizedKeys: string; pidFile: string; logLevel: string }): string {
  return [
    `Port ${opts.port}`,
    `ListenAddress ${opts.listenAddress ?? "127.0.0.1"}`,
    `HostKey ${opts.hostKeyFile}`,
    `PidFile ${opts.pidFile}`,
    `AuthorizedKeysFile ${opts.authorizedKeys}`,
    `LogLevel ${opts.logLevel}`,
    "StrictModes no",
    "UsePAM no",
    "PermitRootLogin prohibit-password",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "PubkeyAuthentication yes",
    "MaxSessions 50",
    "MaxStartups 100",
    "UseDNS no",
    "PrintMotd no",
    "PrintLastLog no",
    "X11Forwarding no",
    "Subsystem sftp internal-sftp",
    "",
  ].join("\n");
}

const TEST_LOGIN = "deckhand-ssh";

/**
 * The user test sessions log in as. As root, a uid-0 alias whose shell is /bin/sh: bash would source
 * root's ~/.bashrc for every SSH command, and on these machines that runs `pyenv rehash`, which waits up
 * to a minute on a lock file that a killed session leaves behind. Tests must not depend on root's dotfiles.
 */
export function loginUser(): string {
  if (os.userInfo().uid !== 0) return os.userInfo().username;
  const exists = () => spawnSync("getent", ["passwd", TEST_LOGIN]).status === 0;
  // "*": no password login, but not a locked account ("!"), which sshd refuses even for keys.
  if (!exists()) spawnSync("useradd", ["-o", "-u", "0", "-g", "0", "-M", "-d", "/root", "-s", "/bin/sh", "-p", "*", TEST_LOGIN]);
  if (!exists()) throw new Error(`could not create the ${TEST_LOGIN} test login (useradd failed)`);
  return TEST_LOGIN;
}

/** Makes sure sshd can run here, with a message that says what to install or fix. */
export function preflight(sshdPath: string): void {
  if (!existsSync(sshdPath)) {
    throw new Error(`${sshdPath} not found: install the openssh-server package (apt-get install -y openssh-server)`);
  }
  if (!existsSync(SSH_KEYGEN_PATH)) {
    throw new Error(`${SSH_KEYGEN_PATH} not found: install the openssh-client package (apt-get install -y openssh-client)`);
  }
  try {
    // sshd's privilege separation chroots into this directory and refuses to start without it.
    mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  } catch (err) {
    throw new Error(`cannot create /run/sshd (sshd needs it; run the tests as root or create it): ${(err as Error).message}`);
  }
}

interface Started {
  child: ChildProcess;
  port: number;
}

/**
 * Starts one sshd process and resolves once it logs "Server listening" and the port accepts a
 * connection. Rejects with sshd's own output when it exits first (bad config, port taken).
 */
function launch(sshdPath: string, configFile: string, port: number, logLevel: string, onLog: (text: string) => void): Promise<Started> {
  const sshdArgs = ["-D", "-e", "-f", configFile];
  // With pdeathsig the kernel kills sshd if the test process dies without running any cleanup.
  const child = existsSync(SETPRIV_PATH) ? spawn(SETPRIV_PATH, ["--pdeathsig", "KILL", "--", sshdPath, ...sshdArgs], { stdio: ["ignore", "ignore", "pipe"] }) : spawn(sshdPath, sshdArgs, { stdio: ["ignore", "ignore", "pipe"] });
  let output = "";
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (text: string) => {
    output += text;
    onLog(text);
  });

  return new Promise<Started>((resolve, reject) => {
    const deadline = Date.now() + START_TIMEOUT_MS;
    let done = false;
    const giveUp = (message: string) => {
      if (done) return;
      done = true;
      if (child.exitCode === null) child.kill("SIGKILL");
      reject(new Error(`${message}\n--- sshd output ---\n${output}`));
    };
    child.once("exit", (code, signal) => giveUp(`sshd exited during start-up (code ${code}, signal ${signal})`));
    child.once("error", (err) => giveUp(`cannot run ${sshdPath}: ${err.message}`));

    // sshd prints the line right after listen(), so it is the signal; a probe connection would only add
    // noise to the log that tests read. Quiet log levels never print it, so they get a TCP probe instead.
    const announces = !/^(QUIET|FATAL|ERROR)$/i.test(logLevel);
    const ready = () => {
      if (done) return;
      done = true;
      child.removeAllListeners("exit");
      resolve({ child, port });
    };
    const probe = () => {
      if (done) return;
      if (Date.now() > deadline) return giveUp(`sshd did not start listening on 127.0.0.1:${port} within ${START_TIMEOUT_MS} ms`);
      if (announces) {
        if (/Server listening on 127\.0\.0\.1 port/.test(output)) return ready();
        return void setTimeout(probe, 10);
      }
      const socket = net.connect({ host: "127.0.0.1", port });
      socket.once("connect", () => {
        socket.destroy();
        ready();
      });
      socket.once("error", () => setTimeout(probe, 20));
    };
    probe();
  });
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export async function startSshd(opts: StartSshdOptions = {}): Promise<TestSshd> {
  const sshdPath = opts.sshdPath ?? SSHD_PATH;
  preflight(sshdPath);
  installExitHook();
  const hostKeyType = opts.hostKey ?? "ed25519";
  const logLevel = opts.logLevel ?? "VERBOSE";
  const dir = mkdtempSync(path.join(os.tmpdir(), "deckhand-sshd-"));
  const instance: Instance = { listener: null, dir };
  live.add(instance);

  try {
    const username = loginUser();
    const client = generateEd25519KeyPair(`deckhand-test@${os.hostname()}`);
    const privateKeyPath = path.join(dir, "client_ed25519");
    writeFileSync(privateKeyPath, client.privateKey, { mode: 0o600 });
    const authorizedKeys = path.join(dir, "authorized_keys");
    writeFileSync(authorizedKeys, `${client.publicKey}\n`, { mode: 0o600 });
    const configFile = path.join(dir, "sshd_config");
    const pidFile = path.join(dir, "sshd.pid");

    let logText = "";
    const onLog = (text: string) => {
      logText += text;
    };
    let hostKey = generateHostKey(dir, hostKeyType);

    const startOn = async (port: number): Promise<Started> => {
      writeFileSync(configFile, sshdConfig({ port, hostKeyFile: hostKey.file, authorizedKeys, pidFile, logLevel }));
      return launch(sshdPath, configFile, port, logLevel, onLog);
    };

    // A free port can be taken by someone else between probing and binding; try a few.
    let started: Started | null = null;
    let lastError: unknown;
    for (let attempt = 0; attempt < 5 && !started; attempt++) {
      try {
        started = await startOn(await freePort());
      } catch (err) {
        lastError = err;
        if (!/Address already in use|Bind to port/i.test(String(err))) throw err;
      }
    }
    if (!started) throw lastError;
    instance.listener = started.child;
    const port = started.port;
    let stopped = false;

    const stopListener = async (): Promise<void> => {
      const child = instance.listener;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      if (!(await waitForExit(child, 3_000))) {
        child.kill("SIGKILL");
        await waitForExit(child, 3_000);
      }
    };

    const sshd: TestSshd = {
      host: "127.0.0.1",
      port,
      username,
      privateKey: client.privateKey,
      publicKey: client.publicKey,
      privateKeyPath,
      get hostKeyFingerprint() {
        return hostKey.fingerprint;
      },
      target() {
        return { host: "127.0.0.1", port, username, privateKey: client.privateKey, hostKeyFingerprint: hostKey.fingerprint };
      },
      authorizeKey(publicKeyLine) {
        if (/[\r\n]/.test(publicKeyLine.trim())) throw new Error("an authorized_keys entry is one line");
        appendFileSync(authorizedKeys, `${publicKeyLine.trim()}\n`);
      },
      log: () => logText,
      async waitForLog(pattern, timeoutMs = 5_000) {
        const deadline = Date.now() + timeoutMs;
        while (!pattern.test(logText)) {
          if (Date.now() > deadline) throw new Error(`sshd log did not match ${pattern} within ${timeoutMs} ms:\n${logText}`);
          await new Promise((r) => setTimeout(r, 20));
        }
      },
      async rotateHostKey() {
        if (stopped) throw new Error("this sshd was stopped");
        await stopListener();
        hostKey = generateHostKey(dir, hostKeyType);
        instance.listener = (await startOn(port)).child;
        return hostKey.fingerprint;
      },
      freeze() {
        if (instance.listener?.pid) killTree(instance.listener.pid, "SIGSTOP");
      },
      thaw() {
        if (instance.listener?.pid) killTree(instance.listener.pid, "SIGCONT");
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        const child = instance.listener;
        if (child?.pid && child.exitCode === null && child.signalCode === null) {
          // Sessions outlive the listener (they are their own sessions), so they are ended explicitly.
          const sessions = descendantsOf(child.pid);
          signalPids([child.pid, ...sessions], "SIGCONT");
          signalPids(sessions, "SIGKILL");
          await stopListener();
          await waitUntilGone(sessions, 3_000);
        }
        live.delete(instance);
        rmSync(dir, { recursive: true, force: true });
      },
      kill() {
        const child = instance.listener;
        if (child?.pid && child.exitCode === null && child.signalCode === null) killTree(child.pid, "SIGKILL");
      },
    };
    return sshd;
  } catch (err) {
    if (instance.listener?.pid) killTree(instance.listener.pid, "SIGKILL");
    live.delete(instance);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
