import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import type { Principal } from "../auth/roles";
import { enqueueDeploy } from "../jobs/queues";
import { startSshd, type TestSshd } from "../../test/harness/sshd";
import { createTestRepo, demoRestartCommand, freePort, stopDemoApp, type TestRepo } from "../../test/harness/git-app";
import { createApp } from "../apps/apps";
import { requestCancel } from "./lifecycle";
import { createDeployRequest } from "./requests";
import { runDeploy } from "./runner";
import { createServer } from "../servers/servers";
import { sweepInterruptedDeploys } from "./recovery";

/**
 * A real worker process is killed with SIGKILL while a deploy is in each step in turn. Every time: the
 * deploy ends `interrupted`, the app's lock is free again, and `current` points at a complete release.
 */
const root = path.resolve(import.meta.dirname, "../..");
const alice: Principal = { kind: "user", id: "u-int", email: "int@example.test", name: null, role: "deployer" };
let sshd: TestSshd;
let repo: TestRepo;
let deployPath: string;
let appId: string;
const tmp = mkdtempSync(path.join(os.tmpdir(), "deckhand-interrupt-"));

beforeAll(async () => {
  sshd = await startSshd();
  repo = createTestRepo(2);
  deployPath = path.join(tmp, "app");
  await db().user.create({ data: { id: "u-int", email: "int@example.test", passwordHash: "x", role: "deployer" } });
  const { server } = await createServer(db(), { name: "int", host: sshd.host, port: sshd.port, username: sshd.username, privateKey: sshd.privateKey, hostKeyFingerprint: sshd.hostKeyFingerprint });
  const port = await freePort();
  const app = await createApp(db(), {
    name: "interrupted",
    repoUrl: repo.path,
    deployPath,
    keepReleases: 3,
    // Slow steps give the kill time to land inside them; the fast ones (prepare, fetch, switch) are caught as they start.
    installCommand: "sleep 1",
    buildCommand: "sleep 1",
    smokeCommand: "sleep 1",
    restartCommand: `sleep 1; ${demoRestartCommand(deployPath)}`,
    healthUrl: `http://127.0.0.1:${port}/health`,
    serverIds: [server.id],
    strategy: "parallel",
    batchSize: 1,
    env: { PORT: String(port) },
  });
  appId = app.id;
  const first = await createDeployRequest(db(), appId, repo.commits[0]!, alice);
  await runDeploy(first.id);
  expect((await db().deploy.findUniqueOrThrow({ where: { id: first.id } })).status).toBe("succeeded");
});

afterAll(async () => {
  stopDemoApp(deployPath);
  await sshd?.stop();
  repo?.cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

function startWorkerProcess(): Promise<ChildProcess> {
  // `node --import tsx` (not the tsx CLI, which runs the script in a child): SIGKILL must hit the worker itself.
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "test/harness/worker-process.ts")], {
    cwd: root,
    env: { ...process.env, DECKHAND_WORKER_CONCURRENCY: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("worker did not start")), 30_000);
    child.stdout!.on("data", (d: Buffer) => {
      if (d.toString().includes("worker ready")) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on("exit", (code) => reject(new Error(`worker exited early with ${code}`)));
  });
}

function assertCurrentIsComplete(): void {
  const link = readlinkSync(path.join(deployPath, "current"));
  expect(link).toMatch(/^releases\/\d{14}-[0-9a-f]{7}$/);
  const release = path.join(deployPath, link);
  expect(repo.commits).toContain(readFileSync(path.join(release, "REVISION"), "utf8").trim());
  expect(existsSync(path.join(release, "server.js"))).toBe(true);
}

const STEPS = ["prepare", "fetch", "install", "build", "smoke", "switch", "restart", "health", "cleanup"] as const;

describe("a worker killed with SIGKILL mid-deploy", () => {
  for (const [i, step] of STEPS.entries()) {
    it(`during ${step}: the deploy becomes interrupted, the lock frees itself, current stays complete`, async () => {
      const worker = await startWorkerProcess();
      const deploy = await createDeployRequest(db(), appId, repo.commits[i % 2 === 0 ? 1 : 0]!, alice);
      await enqueueDeploy(deploy.id);
      await expect.poll(async () => (await db().deployStep.findFirst({ where: { deployId: deploy.id, name: step } }))?.status, { timeout: 30_000, interval: 5 }).toBe("running");
      // Freeze the server side so the step's command cannot finish, then kill the worker inside the step.
      sshd.freeze();
      worker.kill("SIGKILL");
      await new Promise((r) => worker.once("exit", r));
      sshd.thaw();

      // Still running as far as the database knows, and still holding the lock...
      await expect(createDeployRequest(db(), appId, "main", alice)).rejects.toMatchObject({ status: 409 });
      // ...until its heartbeat is stale (a live worker's sweeper does this every 5 s; 30 s by default).
      await new Promise((r) => setTimeout(r, 2_500));
      expect(await sweepInterruptedDeploys(2)).toEqual([deploy.id]);
      const ended = await db().deploy.findUniqueOrThrow({ where: { id: deploy.id } });
      expect(ended.status).toBe("interrupted");
      // The kill lands inside the step, or (for the fastest steps) just after it, before the next one starts.
      const during = /worker stopped responding(?: during (\w+) on int)?/.exec(ended.error ?? "");
      expect(during).not.toBeNull();
      if (during![1]) expect(STEPS.indexOf(during![1] as (typeof STEPS)[number])).toBeGreaterThanOrEqual(i);
      expect(ended.finishedAt).not.toBeNull();

      const next = await createDeployRequest(db(), appId, "main", alice);
      await requestCancel(db(), next.id);
      assertCurrentIsComplete();
    }, 90_000);
  }
});
