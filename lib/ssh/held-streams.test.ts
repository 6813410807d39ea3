import { readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSshd, type TestSshd } from "../../test/harness/sshd";
import { connectSsh } from "./connect";
import { describeHeldOpen, heldStreamsProbe, parseHeldStreams } from "./held-streams";
import type { SshSession } from "./session";

/**
 * `nohup app &` without redirecting its streams: the command exits at once, but the process it leaves
 * behind holds the channel's pipes, so sshd never closes the channel. The command must still finish, a
 * short grace after its exit status, naming what holds which stream, and the process must keep running.
 */
let sshd: TestSshd;
let session: SshSession;
const started: number[] = [];

beforeAll(async () => {
  sshd = await startSshd();
  session = await connectSsh(sshd.target(), { connectTimeoutMs: 5_000 });
});
afterAll(async () => {
  for (const pid of started) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  session?.close();
  await sshd?.stop();
});

/** Pids on this machine (which is also the remote here) whose command line is exactly `command`. */
function running(command: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) === "Z") continue;
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ") === command) found.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return found;
}

describe("a background process holding the channel open", () => {
  it("`nohup sleep 60 &`: finishes a short grace after the exit, names sleep holding stdout and stderr, leaves it running", async () => {
    const t0 = performance.now();
    const result = await session.exec("echo starting; nohup sleep 60.0301 &", { exitGraceMs: 1_000 });
    const ms = performance.now() - t0;
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe("starting\n");
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(ms).toBeLessThan(6_000);
    expect(result.heldOpen).not.toBeNull();
    expect(result.heldOpen!.afterMs).toBeGreaterThanOrEqual(900);
    const sleeper = result.heldOpen!.holders.find((h) => h.command === "sleep 60.0301");
    expect(sleeper, JSON.stringify(result.heldOpen)).toBeDefined();
    expect(sleeper!.streams).toEqual(["stdout", "stderr"]);
    const pids = running("sleep 60.0301");
    started.push(...pids);
    expect(pids).toEqual([sleeper!.pid]);
    const text = describeHeldOpen(result.heldOpen!, result.exitCode);
    expect(text).toContain("`sleep 60.0301`");
    expect(text).toContain("stdout and stderr");
    expect(text).toContain("2>&1 < /dev/null");
    // The session is still fine for the next command.
    expect((await session.exec("echo next")).stdout).toBe("next\n");
  });

  it("names only the stream still held (stdout redirected, stderr not)", async () => {
    const result = await session.exec("nohup sleep 60.0302 > /dev/null &", { exitGraceMs: 500 });
    started.push(...running("sleep 60.0302"));
    expect(result.exitCode).toBe(0);
    expect(result.heldOpen!.holders.find((h) => h.command === "sleep 60.0302")!.streams).toEqual(["stderr"]);
  });

  it("keeps the command's own non-zero exit status", async () => {
    const result = await session.exec("sleep 60.0303 & exit 3", { exitGraceMs: 500 });
    started.push(...running("sleep 60.0303"));
    expect(result.exitCode).toBe(3);
    expect(result.heldOpen).not.toBeNull();
  });

  it("a properly detached process holds nothing: no grace, no note", async () => {
    const t0 = performance.now();
    const result = await session.exec("nohup sleep 60.0304 > /dev/null 2>&1 < /dev/null &");
    started.push(...running("sleep 60.0304"));
    expect(performance.now() - t0).toBeLessThan(1_500);
    expect(result.heldOpen).toBeNull();
  });

  it("output written after the exit status is still collected while it flows", async () => {
    // The background writer keeps writing for a while after the shell exits, each write inside the grace.
    const result = await session.exec("(for i in 1 2 3 4; do sleep 0.3; echo tick $i; done) & exit 0", { exitGraceMs: 800 });
    expect(result.stdout).toBe("tick 1\ntick 2\ntick 3\ntick 4\n");
    expect(result.heldOpen).toBeNull();
  });
});

describe("held-stream probe parsing", () => {
  it("reads pid, streams and command; skips processes whose streams point elsewhere", () => {
    const out = ["12\tpipe:[1]\tpipe:[2]\tnode server.js --port 3000", "13\t/dev/null\tpipe:[2]\tworker", "14\t/dev/null\t/var/log/x\tquiet", "junk", ""].join("\n");
    expect(parseHeldStreams(out)).toEqual([
      { pid: 12, command: "node server.js --port 3000", streams: ["stdout", "stderr"] },
      { pid: 13, command: "worker", streams: ["stderr"] },
    ]);
  });

  it("refuses a session id that is not a positive integer", () => {
    expect(() => heldStreamsProbe(0)).toThrow(TypeError);
    expect(() => heldStreamsProbe(1.5)).toThrow(TypeError);
    expect(heldStreamsProbe(4242)).toContain('"4242"');
  });

  it("says what to do even when the holders are unknown", () => {
    expect(describeHeldOpen({ afterMs: 2_000, holders: [] }, 0)).toMatch(/background process it started still holds its stdout and\/or stderr.*2>&1 < \/dev\/null/);
  });
});
