import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSshd, type TestSshd } from "../../test/harness/sshd";
import { connectSsh } from "./connect";
import { execChecked, type SshSession } from "./session";
import { SshCancelledError, SshCommandFailedError, SshCommandTimeoutError, SshConnectionLostError, SshError } from "./errors";
import { shellQuote } from "./quote";

let sshd: TestSshd;
let session: SshSession;
let work: string;

beforeAll(async () => {
  sshd = await startSshd();
  session = await connectSsh(sshd.target(), { connectTimeoutMs: 5_000 });
  // sshd runs on this machine, so the remote file system is ours to inspect.
  work = mkdtempSync(path.join(os.tmpdir(), "deckhand-exec-"));
});
afterAll(async () => {
  session?.close();
  await sshd?.stop();
  rmSync(work, { recursive: true, force: true });
});

/**
 * Whether a pid is running on this machine (which is also the remote here). A killed process whose
 * parent has not reaped it yet is a zombie: it still answers kill(pid, 0) but runs nothing.
 */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** Pids on this machine whose command line is exactly `command` (arguments joined by spaces). */
function processesRunning(command: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
      if (cmdline === command && alive(Number(entry))) found.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return found;
}

/**
 * SIGKILL is delivered at once but a process finishes exiting when it is next scheduled, which on a busy
 * machine can be a moment after sshd already saw its pipes close. A process the kill missed would still
 * be there after 30 s, so a one-second wait keeps the test meaningful.
 */
async function expectGone(pid: number): Promise<void> {
  await expect.poll(() => alive(pid), { timeout: 1_000, interval: 20, message: `pid ${pid} survived` }).toBe(false);
}

async function expectNoneRunning(command: string): Promise<void> {
  await expect.poll(() => processesRunning(command), { timeout: 1_000, interval: 20, message: `${command} survived` }).toEqual([]);
}

async function readPid(file: string): Promise<number> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    if (existsSync(file)) {
      const text = readFileSync(file, "utf8").trim();
      if (/^\d+$/.test(text)) return Number(text);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no pid in ${file}`);
}

describe("exec results", () => {
  it("separates stdout and stderr and reports the exit code", async () => {
    const result = await session.exec("echo out; echo err >&2; exit 7");
    expect(result).toMatchObject({ exitCode: 7, signal: null, stdout: "out\n", stderr: "err\n", truncated: { stdout: false, stderr: false } });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect((await session.exec("true")).exitCode).toBe(0);
    expect((await session.exec("false")).exitCode).toBe(1);
  });

  it("reports a command ended by a signal", async () => {
    const result = await session.exec("kill -TERM $$");
    expect(result.exitCode).toBeNull();
    expect(result.signal).toBe("SIGTERM");
  });

  it("passes stdin and closes it; without stdin a reader gets EOF at once", async () => {
    const piped = await session.exec("wc -c; cat >/dev/null", { stdin: "héllo\n" });
    expect(piped.stdout.trim()).toBe(String(Buffer.byteLength("héllo\n")));
    const noInput = await session.exec("cat; echo done", { timeoutMs: 5_000 });
    expect(noInput.stdout).toBe("done\n");
  });

  it("returns output exactly, including a missing final newline and the start-up marker never leaking", async () => {
    const result = await session.exec("printf 'no newline'; printf 'e\\n' >&2");
    expect(result.stdout).toBe("no newline");
    expect(result.stderr).toBe("e\n");
    expect(result.stdout).not.toMatch(/deckhand-pid/);
  });

  it("runs many commands, one after another, over one connection", async () => {
    for (let i = 0; i < 30; i++) {
      const result = await session.exec(`echo ${i}; echo e${i} >&2; exit ${i % 3}`);
      expect(result).toMatchObject({ stdout: `${i}\n`, stderr: `e${i}\n`, exitCode: i % 3 });
    }
    // Side by side works too (sshd's MaxSessions allows it), each command on its own channel.
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => session.exec(`sleep 0.${i}; echo ${i}`)));
    expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 8 }, (_, i) => `${i}\n`));
  });

  it("execChecked throws SshCommandFailedError with the exit code and stderr", async () => {
    await expect(execChecked(session, "echo fine")).resolves.toMatchObject({ stdout: "fine\n" });
    const error = await execChecked(session, "echo first >&2; echo 'no such release' >&2; exit 3").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SshCommandFailedError);
    expect(error).toBeInstanceOf(SshError);
    expect(error).toMatchObject({ exitCode: 3, stderr: "first\nno such release\n", command: "echo first >&2; echo 'no such release' >&2; exit 3" });
    expect((error as Error).message).toMatch(/exited with code 3 on .*: no such release$/);
  });
});

describe("streaming output", () => {
  it("delivers the first chunk long before the command ends", async () => {
    const seen: { text: string; stream: string; at: number }[] = [];
    const started = performance.now();
    const result = await session.exec("echo first; sleep 1; echo second >&2; echo third", {
      onOutput: (text, stream) => seen.push({ text, stream, at: performance.now() - started }),
    });
    const total = performance.now() - started;
    expect(seen[0]).toMatchObject({ text: "first\n", stream: "stdout" });
    expect(seen[0]!.at).toBeLessThan(total - 700);
    expect(
      seen
        .filter((s) => s.stream === "stderr")
        .map((s) => s.text)
        .join(""),
    ).toBe("second\n");
    expect(
      seen
        .filter((s) => s.stream === "stdout")
        .map((s) => s.text)
        .join(""),
    ).toBe("first\nthird\n");
    expect(result.stdout).toBe("first\nthird\n");
  });

  it("keeps a 4-byte character whole when its bytes arrive in separate packets", async () => {
    const chunks: string[] = [];
    // 🚀 is F0 9F 9A 80: one byte at a time with pauses, so each byte is its own SSH packet.
    const command = ["\\360", "\\237", "\\232", "\\200"].map((b) => `printf '${b}'; sleep 0.05`).join("; ") + "; printf ' ok'";
    const stderrCommand = ["\\303", "\\251"].map((b) => `printf '${b}' >&2; sleep 0.05`).join("; ");
    const result = await session.exec(`${command}; ${stderrCommand}`, { onOutput: (text, stream) => stream === "stdout" && chunks.push(text) });
    expect(chunks.join("")).toBe("🚀 ok");
    expect(chunks.join("")).not.toContain("\ufffd");
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    expect(result.stdout).toBe("🚀 ok");
    expect(result.stderr).toBe("é");
  });

  it("collects at most maxCollectBytes per stream but streams everything", async () => {
    let streamed = 0;
    const result = await session.exec("head -c 300000 /dev/zero | tr '\\0' a; head -c 5000 /dev/zero | tr '\\0' b >&2", {
      maxCollectBytes: 100_000,
      onOutput: (text, stream) => {
        if (stream === "stdout") streamed += text.length;
      },
    });
    expect(streamed).toBe(300_000);
    expect(result.stdout).toHaveLength(100_000);
    expect(result.stderr).toHaveLength(5_000);
    expect(result.truncated).toEqual({ stdout: true, stderr: false });
  });

  it("defaults to 1 MiB and never cuts a character in half", async () => {
    const result = await session.exec("head -c 2000000 /dev/zero | tr '\\0' a; printf 'ééé'");
    expect(result.stdout).toHaveLength(1024 * 1024);
    expect(result.truncated.stdout).toBe(true);
    const cut = await session.exec("printf 'aéé'", { maxCollectBytes: 2 });
    expect(cut.stdout).toBe("a");
  });

  it("an onOutput callback that throws kills the command and rejects", async () => {
    const pidFile = path.join(work, "callback.pid");
    const error = await session
      .exec(`echo $$ > ${shellQuote(pidFile)}; echo boom; sleep 30`, {
        onOutput: () => {
          throw new Error("sink is full");
        },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SshError);
    expect((error as Error).message).toMatch(/onOutput callback threw/);
    await expectGone(await readPid(pidFile));
  });
});

describe("timeouts and cancellation kill the remote process", () => {
  it("timeoutMs kills `sleep 30` and rejects with SshCommandTimeoutError", async () => {
    const pidFile = path.join(work, "timeout.pid");
    const started = performance.now();
    const error = await session.exec(`echo $$ > ${shellQuote(pidFile)}; echo partial >&2; exec sleep 30`, { timeoutMs: 600 }).catch((e: unknown) => e);
    const ms = performance.now() - started;
    expect(error).toBeInstanceOf(SshCommandTimeoutError);
    expect((error as SshCommandTimeoutError).command).toContain("exec sleep 30");
    expect((error as SshCommandTimeoutError).stderr).toBe("partial\n");
    expect((error as Error).message).toMatch(/timed out after 600 ms/);
    expect(ms).toBeGreaterThanOrEqual(590);
    expect(ms).toBeLessThan(3_000);
    await expectGone(await readPid(pidFile));
  });

  it("kills the whole process group: background children and pipelines too", async () => {
    const pidFile = path.join(work, "group.pids");
    const command = `sleep 30 & a=$!; sleep 31 | cat & b=$!; echo "$a $b $$" > ${shellQuote(pidFile)}; wait`;
    await expect(session.exec(command, { timeoutMs: 500 })).rejects.toBeInstanceOf(SshCommandTimeoutError);
    const deadline = Date.now() + 5_000;
    while (!existsSync(pidFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const pids = readFileSync(pidFile, "utf8").trim().split(" ").map(Number);
    expect(pids).toHaveLength(3);
    for (const pid of pids) await expectGone(pid);
  });

  it("an AbortSignal kills the command and rejects with SshCancelledError", async () => {
    const pidFile = path.join(work, "abort.pid");
    const controller = new AbortController();
    const pending = session.exec(`echo $$ > ${shellQuote(pidFile)}; sleep 30.0202`, {
      signal: controller.signal,
      onOutput: () => undefined,
    });
    const pid = await readPid(pidFile);
    expect(alive(pid)).toBe(true);
    await expect.poll(() => processesRunning("sleep 30.0202")).toHaveLength(1);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(SshCancelledError);
    await expectGone(pid);
    await expectNoneRunning("sleep 30.0202");
    await expect(session.exec("true", { signal: controller.signal })).rejects.toBeInstanceOf(SshCancelledError);
  });

  it("a timeout that fires while the shell is still starting still kills the command", async () => {
    // 1 ms expires before the channel is even open; the kill has to wait for the shell to announce itself.
    await expect(session.exec("sleep 30.0101", { timeoutMs: 1 })).rejects.toBeInstanceOf(SshCommandTimeoutError);
    await expectNoneRunning("sleep 30.0101");
  });

  it("the connection stays usable after a command was killed", async () => {
    await expect(session.exec("sleep 30", { timeoutMs: 200 })).rejects.toBeInstanceOf(SshCommandTimeoutError);
    expect((await session.exec("echo alive")).stdout).toBe("alive\n");
  });
});

describe("session lifetime", () => {
  it("close() kills a running command, rejects it, and later execs fail clearly", async () => {
    const own = await connectSsh(sshd.target(), { connectTimeoutMs: 5_000 });
    const pidFile = path.join(work, "close.pid");
    const pending = own.exec(`echo $$ > ${shellQuote(pidFile)}; sleep 30`);
    const pid = await readPid(pidFile);
    own.close();
    own.close();
    await expect(pending).rejects.toBeInstanceOf(SshCancelledError);
    await expectGone(pid);
    await expect(own.exec("true")).rejects.toThrow(/is closed/);
  });

  it("a host that dies mid-command rejects with SshConnectionLostError", async () => {
    const doomed = await startSshd();
    try {
      const own = await connectSsh(doomed.target(), { connectTimeoutMs: 5_000 });
      const pending = own.exec("echo started; sleep 30");
      await new Promise((r) => setTimeout(r, 300));
      doomed.kill();
      await expect(pending).rejects.toBeInstanceOf(SshConnectionLostError);
      await expect(own.exec("true")).rejects.toBeInstanceOf(SshConnectionLostError);
      own.close();
    } finally {
      await doomed.stop();
    }
  });

  it("keepalives notice a peer that stops answering", async () => {
    const hung = await startSshd();
    try {
      const own = await connectSsh(hung.target(), { connectTimeoutMs: 5_000, keepaliveIntervalMs: 200, keepaliveCountMax: 2 });
      const pending = own.exec("sleep 30");
      await new Promise((r) => setTimeout(r, 200));
      hung.freeze();
      const started = performance.now();
      await expect(pending).rejects.toBeInstanceOf(SshConnectionLostError);
      expect(performance.now() - started).toBeLessThan(3_000);
      own.close();
    } finally {
      hung.thaw();
      await hung.stop();
    }
  });
});
