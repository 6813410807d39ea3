import { existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import type { Principal } from "../auth/roles";
import { startSshd, type TestSshd } from "../../test/harness/sshd";
import { createTestRepo, demoRestartCommand, freePort, stopDemoApp, type TestRepo } from "../../test/harness/git-app";
import { createApp } from "../apps/apps";
import { requestCancel } from "./lifecycle";
import { createDeployRequest, currentRelease } from "./requests";
import { runDeploy } from "./runner";
import { createServer } from "../servers/servers";

/**
 * A cancel requested during each step of a deploy, on a real sshd. Every time the server and Deckhand agree
 * afterwards: `current` on disk is the release Deckhand records as current (put back when the run had
 * switched it), the deploy is `cancelled`, and the app's lock is free for the next deploy.
 */
const alice: Principal = { kind: "user", id: "u-cancel", email: "cancel@example.test", name: null, role: "deployer" };
let sshd: TestSshd;
let repo: TestRepo;
let deployPath: string;
let appId: string;
const tmp = mkdtempSync(path.join(os.tmpdir(), "deckhand-cancel-"));

beforeAll(async () => {
  sshd = await startSshd();
  repo = createTestRepo(2);
  deployPath = path.join(tmp, "app");
  await db().user.create({ data: { id: alice.id, email: "cancel@example.test", passwordHash: "x", role: "deployer" } });
  const { server } = await createServer(db(), { name: "cancel", host: sshd.host, port: sshd.port, username: sshd.username, privateKey: sshd.privateKey, hostKeyFingerprint: sshd.hostKeyFingerprint });
  const port = await freePort();
  const app = await createApp(db(), {
    name: "cancelled-app",
    repoUrl: repo.path,
    deployPath,
    keepReleases: 3,
    // The app's own commands sleep, so the cancel lands while they run; the fast steps are held by freezing sshd.
    installCommand: "sleep 2",
    buildCommand: "sleep 2",
    smokeCommand: "sleep 2",
    restartCommand: `sleep 2; ${demoRestartCommand(deployPath)}`,
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
}, 120_000);

afterAll(async () => {
  stopDemoApp(deployPath);
  await sshd?.stop();
  repo?.cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

/** `current` on disk and the release Deckhand says is current name the same folder and the same commit. */
async function assertServerAgrees(): Promise<void> {
  const recorded = await currentRelease(db(), appId);
  expect(recorded).not.toBeNull();
  const link = readlinkSync(path.join(deployPath, "current"));
  expect(link).toBe(`releases/${recorded!.dir}`);
  expect(readFileSync(path.join(deployPath, link, "REVISION"), "utf8").trim()).toBe(recorded!.commit);
  expect(existsSync(path.join(deployPath, link, "server.js"))).toBe(true);
}

const SLOW = new Set(["install", "build", "smoke", "restart"]);
const STEPS = ["fetch", "install", "build", "smoke", "switch", "restart", "health"] as const;

describe("a deploy cancelled during each step, on a real sshd", () => {
  for (const [i, step] of STEPS.entries()) {
    it(`during ${step}: cancelled, current agrees with Deckhand, lock released`, async () => {
      const before = await currentRelease(db(), appId);
      const deploy = await createDeployRequest(db(), appId, repo.commits[i % 2 === 0 ? 1 : 0]!, alice);
      const run = runDeploy(deploy.id);
      await expect.poll(async () => (await db().deployStep.findFirst({ where: { deployId: deploy.id, name: step } }))?.status, { timeout: 30_000, interval: 5 }).toBe("running");
      // A fast step cannot finish while the server is frozen: the cancel lands inside it.
      const freeze = !SLOW.has(step);
      if (freeze) sshd.freeze();
      await requestCancel(db(), deploy.id);
      if (freeze) {
        // Past the next heartbeat (1 s), which reads the request and aborts the running command.
        await new Promise((r) => setTimeout(r, 1_800));
        sshd.thaw();
      }
      await run;

      const ended = await db().deploy.findUniqueOrThrow({ where: { id: deploy.id }, include: { steps: true, release: true } });
      expect(ended.status).toBe("cancelled");
      expect(ended.finishedAt).not.toBeNull();
      expect(ended.steps.find((s) => s.serverId && s.name === step)?.status).toBe("cancelled");
      expect(ended.steps.filter((s) => s.status === "running" || s.status === "pending")).toEqual([]);
      if (ended.release) expect(ended.release.status).toBe("failed");
      // Nothing this run did counts as current: the previous release is, on disk and in the database.
      expect((await currentRelease(db(), appId))?.id).toBe(before?.id);
      await assertServerAgrees();

      // The lock ended with the deploy.
      const next = await createDeployRequest(db(), appId, "main", alice);
      await requestCancel(db(), next.id);
    }, 90_000);
  }
});
