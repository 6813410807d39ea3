import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "../../lib/db/client";
import { listWorkers } from "../../lib/jobs/presence";
import { freePort } from "../harness/ports";

/**
 * `npm start` (scripts/start.ts) supervises its web and worker processes: SIGKILL either one and it is
 * started again, while the other keeps working; /api/health says whether a worker is alive.
 */
const root = path.resolve(import.meta.dirname, "../..");
const dataDir = mkdtempSync(path.join(os.tmpdir(), "deckhand-supervisor-"));
let supervisor: ChildProcess | null = null;
const lines: string[] = [];

afterAll(async () => {
  if (supervisor && supervisor.exitCode === null) {
    supervisor.kill("SIGTERM");
    await new Promise((r) => supervisor!.once("exit", r));
  }
  rmSync(dataDir, { recursive: true, force: true });
});

interface Health {
  status: number;
  worker?: string;
}

async function health(url: string): Promise<Health> {
  try {
    const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) });
    const body = (await res.json()) as { worker?: string };
    return { status: res.status, worker: body.worker };
  } catch {
    return { status: 0 };
  }
}

/** The pid of each live worker process, from the presence rows they stamp every 5 s. */
async function workerPids(): Promise<number[]> {
  return (await listWorkers(db())).filter((w) => w.seenSecondsAgo < 6).map((w) => w.pid);
}

/** The pid the supervisor logged for the latest start of a child ("web process started"). */
function startedPid(name: string): number | undefined {
  const starts = lines.map((l) => l.match(/^\{.*\}$/) && (JSON.parse(l) as { msg?: string; pid?: number })).filter((l): l is { msg?: string; pid?: number } => !!l && l.msg === `${name} process started`);
  return starts.at(-1)?.pid;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("npm start supervises its processes", () => {
  it("restarts a SIGKILLed worker while the web app keeps serving, and a SIGKILLed web process while the worker keeps running", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    supervisor = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts/start.ts")], {
      cwd: root,
      env: { ...process.env, PORT: String(port), DECKHAND_HOST: "127.0.0.1", DECKHAND_DATA_DIR: dataDir, NODE_ENV: "production", LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    for (const stream of [supervisor.stdout!, supervisor.stderr!]) stream.on("data", (c: Buffer) => lines.push(...c.toString().split("\n").filter(Boolean)));

    await expect.poll(() => health(url), { timeout: 240_000, interval: 500 }).toEqual({ status: 200, worker: "ok" });
    const [firstWorker] = await workerPids();
    expect(firstWorker).toBeGreaterThan(0);
    const firstWeb = startedPid("web")!;
    expect(firstWeb).toBeGreaterThan(0);

    process.kill(firstWorker!, "SIGKILL");
    // The web process is not disturbed: every answer while the worker is down and restarting is 200.
    const answers: number[] = [];
    await expect
      .poll(
        async () => {
          answers.push((await health(url)).status);
          const pids = await workerPids();
          return pids.some((p) => p !== firstWorker);
        },
        { timeout: 60_000, interval: 300 },
      )
      .toBe(true);
    expect(
      answers.every((s) => s === 200),
      answers.join(","),
    ).toBe(true);
    expect(lines.some((l) => l.includes("worker process exited; restarting it"))).toBe(true);
    expect(alive(firstWeb)).toBe(true);
    const secondWorker = (await workerPids()).find((p) => p !== firstWorker)!;

    process.kill(firstWeb, "SIGKILL");
    await expect.poll(() => startedPid("web") !== firstWeb, { timeout: 30_000, interval: 200 }).toBe(true);
    await expect.poll(() => health(url), { timeout: 120_000, interval: 500 }).toEqual({ status: 200, worker: "ok" });
    expect(lines.some((l) => l.includes("web process exited; restarting it"))).toBe(true);
    // The worker lived through the web process's death.
    expect(alive(secondWorker)).toBe(true);
    expect(await workerPids()).toContain(secondWorker);

    // Ctrl-C (SIGTERM) still stops everything.
    supervisor.kill("SIGTERM");
    await new Promise((r) => supervisor!.once("exit", r));
    expect(alive(secondWorker)).toBe(false);
    expect(alive(startedPid("web")!)).toBe(false);
  }, 420_000);
});
