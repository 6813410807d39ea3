import { mkdtempSync, readlinkSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Every soak in this file lasts 8 s instead of its environment's minutes (read once, before anything reads the environment).
vi.hoisted(() => {
  process.env.DECKHAND_SOAK_SECONDS_OVERRIDE = "8";
});

import { db } from "../../db/client";
import type { Principal } from "../../auth/roles";
import { startSshd, type TestSshd } from "../../../test/harness/sshd";
import { createTestRepo, demoAppInput, freePort, stopDemoApp, type TestRepo } from "../../../test/harness/git-app";
import { createApp } from "../../apps/apps";
import { startHealthScheduler } from "../../health/scheduler";
import type { HealthScheduler } from "../../health/scheduler-types";
import { getDeploy } from "../../queries/deploys";
import { createServer } from "../../servers/servers";
import { createDeployRequest } from "../requests";
import { runDeploy } from "../runner";

/**
 * The release verdict end to end: a real HTTP app deployed over real SSH, its own health monitor checking it
 * every second through the real health scheduler, and a release that answers 500 to every 3rd request.
 */
const alice: Principal = { kind: "user", id: "u-alice", email: "alice@example.test", name: null, role: "deployer" };

let sshd: TestSshd;
let repo: TestRepo;
let scheduler: HealthScheduler;
/** A release that answers 500 to every 3rd request (its health step's retries get past one). */
let flaky: string;
const roots: string[] = [];
const deployPaths: string[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  sshd = await startSshd();
  repo = createTestRepo(2);
  flaky = repo.commit("every third request fails", { FLAKY: "3" });
  await db().user.create({ data: { id: "u-alice", email: "alice@example.test", passwordHash: "x", role: "deployer" } });
  scheduler = await startHealthScheduler({ client: db(), pollMs: 100 });
});

afterAll(async () => {
  await scheduler?.stop();
  deployPaths.forEach(stopDemoApp);
  await sshd?.stop();
  repo?.cleanup();
  roots.forEach((r) => rmSync(r, { recursive: true, force: true }));
});

async function setup(name: string, verdict: "alert" | "rollback") {
  const root = mkdtempSync(path.join(os.tmpdir(), "deckhand-verdict-"));
  roots.push(root);
  const deployPath = path.join(root, "app");
  deployPaths.push(deployPath);
  const port = await freePort();
  const { server } = await createServer(db(), { name: `srv-${name}`, host: sshd.host, port: sshd.port, username: sshd.username, privateKey: sshd.privateKey, hostKeyFingerprint: sshd.hostKeyFingerprint });
  const app = await createApp(db(), demoAppInput({ name, repoPath: repo.path, deployPath, port, serverIds: [server.id] }));
  // The app's own health monitor, every second (the API's floor is 10 s; the scheduler has none).
  await db().monitor.updateMany({ where: { appId: app.id, isAppHealth: true }, data: { intervalSeconds: 1, timeoutSeconds: 1, nextRunAt: new Date() } });
  await db().environment.update({ where: { appId_name: { appId: app.id, name: "production" } }, data: { verdict } });
  return { app, deployPath };
}

async function deploy(appId: string, ref: string) {
  const d = await createDeployRequest(db(), appId, ref, alice);
  await runDeploy(d.id);
  return db().deploy.findUniqueOrThrow({ where: { id: d.id }, include: { release: true, steps: true } });
}

async function logOf(deployId: string): Promise<string> {
  return (await db().deployLog.findMany({ where: { deployId }, orderBy: { id: "asc" } })).map((l) => l.text).join("");
}

const currentDir = (deployPath: string) => readlinkSync(path.join(deployPath, "current")).replace(/^releases\//, "");

describe("release verdict", () => {
  it("a release answering 500 to every 3rd request passes its health check, regresses during the soak and is rolled back", async () => {
    const { app, deployPath } = await setup("verdict-rollback", "rollback");
    // The first release has nothing to compare with: inconclusive, and it stays.
    const first = await deploy(app.id, repo.commits[0]!);
    expect(first.status).toBe("succeeded");
    expect(first.verdict).toBe("inconclusive");
    expect(first.verdictSummary).toMatch(/^inconclusive: only [0-4] check\(s\) before the deploy/);

    // A healthy second release against the first's baseline: passed.
    await sleep(6_000);
    const good = await deploy(app.id, repo.commits[1]!);
    expect(good.status, good.error ?? "").toBe("succeeded");
    expect(good.verdict).toBe("passed");
    expect(good.verdictSummary).toMatch(/^passed: error rate 0% vs 0% before; p95 \d+ ms vs \d+ ms$/);
    expect(currentDir(deployPath)).toBe(good.release!.dir);

    await sleep(6_000);
    const bad = await deploy(app.id, flaky);
    const log = await logOf(bad.id);
    // The health step passed (its retries get past a 500), the soak found the failures.
    expect(bad.steps.find((s) => s.name === "health")!.status).toBe("succeeded");
    expect(bad.steps.find((s) => s.name === "soak")!.status).toBe("failed");
    expect(log).toMatch(/soak 2\/8 s: \d+ checks?, error rate [\d.]+%/);
    expect(bad.status).toBe("failed");
    expect(bad.verdict).toBe("regressed");
    expect(bad.autoRolledBack).toBe(true);
    expect(bad.release!.status).toBe("failed");
    expect(bad.verdictSummary).toMatch(/^error rate regressed: error rate (2\d|3\d|4\d)(\.\d)?% vs 0% before; p95 .*; rolled back$/);
    expect(bad.error).toBe(`release verdict: ${bad.verdictSummary}`);
    // `current` on disk is the previous release again
    expect(currentDir(deployPath)).toBe(good.release!.dir);
    expect(log).toContain("rolled 1 target(s) back to their previous release");

    // What GET /api/v1/deploys/{id} and the deploy page read
    const view = await getDeploy(bad.id);
    expect(view.verdict).toMatchObject({ outcome: "regressed", summary: bad.verdictSummary, numbers: { mode: "rollback", environment: "production", regressions: ["error rate"], baseline: { failures: 0 } } });
    expect(view.verdict!.numbers!.soak.checks).toBeGreaterThanOrEqual(5);
    expect(view.verdict!.numbers!.baseline.checks).toBeGreaterThanOrEqual(5);
    expect((await getDeploy(good.id)).verdict).toMatchObject({ outcome: "passed" });
  }, 120_000);

  it("in alert mode a regressed release stays live, the deploy succeeds and its alert says it regressed", async () => {
    const { app, deployPath } = await setup("verdict-alert", "alert");
    // A default channel (never sent here: no worker runs the delivery queue) so the deploy alerts are queued.
    const channel = await db().notificationChannel.create({ data: { name: "verdict-hook", type: "webhook", encryptedUrl: null } });
    expect((await deploy(app.id, repo.commits[0]!)).status).toBe("succeeded");
    await sleep(6_000);
    const bad = await deploy(app.id, flaky);
    expect(bad.status).toBe("succeeded");
    expect(bad.verdict).toBe("regressed");
    expect(bad.autoRolledBack).toBe(false);
    expect(bad.verdictSummary).toMatch(/; alert sent, release kept$/);
    expect(currentDir(deployPath)).toBe(bad.release!.dir);
    // The deploy's alert (queued in the transaction that finished it) is a regression, with the verdict in it.
    const deliveries = await db().notificationDelivery.findMany({ where: { channelId: channel.id } });
    const alert = deliveries.find((d) => (d.payload as { deploy?: { id: string } }).deploy?.id === bad.id);
    expect(alert?.event).toBe("deploy.regressed");
    expect(alert?.payload).toMatchObject({ deploy: { verdict: { outcome: "regressed", summary: bad.verdictSummary } }, detail: bad.verdictSummary });
  }, 120_000);
});
