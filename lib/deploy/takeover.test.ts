import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { startSshd, type TestSshd } from "../../test/harness/sshd";
import { createTestRepo, type TestRepo } from "../../test/harness/git-app";
import { createApp } from "../apps/apps";
import { createDeployRequest } from "./requests";
import { runDeploy } from "./runner";
import { createServer } from "../servers/servers";
import { sweepInterruptedDeploys } from "./recovery";

/**
 * A worker that went silent past the stale limit (paused container, stalled VM) has its deploy marked
 * interrupted and the app's lock freed. When it wakes it must not carry on: no further step, no switch,
 * no second end written over `interrupted`.
 */
let sshd: TestSshd;
let repo: TestRepo;
const tmp = mkdtempSync(path.join(os.tmpdir(), "deckhand-takeover-"));

beforeAll(async () => {
  sshd = await startSshd();
  repo = createTestRepo(1);
  await db().user.create({ data: { id: "u-to", email: "to@example.test", passwordHash: "x", role: "deployer" } });
});

afterAll(async () => {
  await sshd?.stop();
  repo?.cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

describe("a deploy interrupted while its worker was silent", () => {
  it("is stopped by that worker at once and left interrupted", async () => {
    const { server } = await createServer(db(), { name: "to", host: sshd.host, port: sshd.port, username: sshd.username, privateKey: sshd.privateKey, hostKeyFingerprint: sshd.hostKeyFingerprint });
    const app = await createApp(db(), {
      name: "takeover",
      repoUrl: repo.path,
      deployPath: path.join(tmp, "app"),
      keepReleases: 3,
      installCommand: "",
      buildCommand: "sleep 30",
      smokeCommand: "",
      restartCommand: "",
      serverIds: [server.id],
      strategy: "parallel",
      batchSize: 1,
    });
    const d = await createDeployRequest(db(), app.id, repo.commits[0]!, { kind: "user", id: "u-to", email: "to@example.test", name: null, role: "deployer" });
    const run = runDeploy(d.id);
    await expect.poll(async () => (await db().deployStep.findFirst({ where: { deployId: d.id, name: "build" } }))?.status, { timeout: 20_000, interval: 20 }).toBe("running");

    // What a live worker's sweeper does to a deploy whose heartbeat went stale (the runner's own heartbeat
    // may land in between, so age it again until the sweep takes it). A 1 s limit, because silence is never
    // counted from before Postgres started, and the test's Postgres may be younger than 30 s.
    await expect
      .poll(
        async () => {
          await db().deploy.update({ where: { id: d.id }, data: { heartbeatAt: new Date(Date.now() - 60_000) } });
          return sweepInterruptedDeploys(1);
        },
        { timeout: 5_000, interval: 10 },
      )
      .toEqual([d.id]);
    const interruptedAt = new Date();

    const started = Date.now();
    await run;
    // The next heartbeat (1 s) finds the deploy taken and stops the 30 s build.
    expect(Date.now() - started).toBeLessThan(5_000);
    const row = await db().deploy.findUniqueOrThrow({ where: { id: d.id }, include: { steps: true } });
    expect(row.status).toBe("interrupted");
    expect(row.steps.filter((s) => s.startedAt && s.startedAt > interruptedAt)).toEqual([]);
    expect(existsSync(path.join(tmp, "app", "current"))).toBe(false);
    const finishes = await db().auditEvent.count({ where: { action: "deploy.finish", targetId: d.id } });
    expect(finishes).toBe(1);
    // The lock is free for the next deploy.
    await expect(createDeployRequest(db(), app.id, repo.commits[0]!, { kind: "user", id: "u-to", email: "to@example.test", name: null, role: "deployer" })).resolves.toMatchObject({ status: "queued" });
  });
});
