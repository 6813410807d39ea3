import { mkdtempSync, readlinkSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "../../lib/auth/tokens";
import { api } from "../helpers/http";
import { appDb, makeUser } from "../helpers/app-db";
import { startSshd, type TestSshd } from "../harness/sshd";
import { createTestRepo, demoRestartCommand, freePort, stopDemoApp, type TestRepo } from "../harness/git-app";

/**
 * Approvals end to end against the running app and its worker: a production environment that requires
 * approval, two deployers (each a token made by a different user), a viewer, real sshd and git.
 */
let sshd: TestSshd;
let repo: TestRepo;
let root: string;
let admin: string;
let alice: string;
let aliceCi: string;
let bob: string;
let viewer: string;

beforeAll(async () => {
  sshd = await startSshd();
  repo = createTestRepo(1);
  root = mkdtempSync(path.join(os.tmpdir(), "deckhand-approvals-"));
  admin = (await createApiToken(appDb(), { name: "appr-admin", role: "admin" })).token;
  const [a, b] = [await makeUser("deployer"), await makeUser("deployer")];
  alice = (await createApiToken(appDb(), { name: "alice", role: "deployer", createdById: a.id })).token;
  aliceCi = (await createApiToken(appDb(), { name: "alice-ci", role: "deployer", createdById: a.id })).token;
  bob = (await createApiToken(appDb(), { name: "bob", role: "deployer", createdById: b.id })).token;
  viewer = (await createApiToken(appDb(), { name: "appr-viewer", role: "viewer" })).token;
});

afterAll(async () => {
  stopDemoApp(path.join(root, "ok"));
  await sshd?.stop();
  repo?.cleanup();
  rmSync(root, { recursive: true, force: true });
  await appDb().$disconnect();
});

type Body = Record<string, unknown> & { error?: { code: string; message: string } };
const json = async (res: Response) => (await res.json()) as Body;
const post = (p: string, token: string, body: unknown = {}) => api(p, token, { method: "POST", body: JSON.stringify(body) });
const statusOf = async (id: string) => (await json(await api(`/api/v1/deploys/${id}`, bob))).status;

async function approvalApp(name: string, ttlMinutes = 60) {
  const server = await json(await post("/api/v1/servers", admin, { name: `${name}-srv`, host: sshd.host, port: sshd.port, username: sshd.username, privateKey: sshd.privateKey, hostKeyFingerprint: sshd.hostKeyFingerprint }));
  const deployPath = path.join(root, name);
  const port = await freePort();
  const res = await post("/api/v1/apps", admin, {
    name,
    repoUrl: repo.path,
    deployPath,
    installCommand: "",
    buildCommand: "",
    smokeCommand: "test -f server.js",
    restartCommand: demoRestartCommand(deployPath),
    healthUrl: `http://127.0.0.1:${port}/health`,
    serverIds: [server.id],
    env: { PORT: String(port) },
  });
  const app = await json(res);
  expect(res.status, JSON.stringify(app)).toBe(201);
  const appId = String(app.id);
  // The environment's admin setting is another part of issue 15: set directly here.
  await appDb().environment.update({ where: { appId_name: { appId, name: "production" } }, data: { requireApproval: true, approvalTtlMinutes: ttlMinutes } });
  return { appId, deployPath };
}

async function request(appId: string, token = alice) {
  const res = await post(`/api/v1/apps/${appId}/deploys`, token, { ref: "main" });
  const body = await json(res);
  expect(res.status, JSON.stringify(body)).toBe(202);
  expect(body).toMatchObject({ status: "awaiting_approval" });
  return String(body.id);
}

describe("approvals API", () => {
  it("a request waits (202 awaiting_approval); the requester and their other token get 403, a viewer 403; another deployer approves and it runs on the server", async () => {
    const { appId, deployPath } = await approvalApp("ok");
    const id = await request(appId);
    // It holds no lock: a second request is accepted too, and neither runs.
    const second = await request(appId, bob);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await statusOf(id)).toBe("awaiting_approval");

    for (const token of [alice, aliceCi]) {
      const own = await post(`/api/v1/deploys/${id}/approve`, token);
      expect(own.status).toBe(403);
      expect((await json(own)).error?.message).toBe("you cannot approve your own deploy: another deployer must approve or reject it");
    }
    expect((await post(`/api/v1/deploys/${id}/approve`, viewer)).status).toBe(403);
    expect((await post(`/api/v1/deploys/${id}/reject`, viewer)).status).toBe(403);
    expect((await post(`/api/v1/deploys/${id}/approve`, bob, { extra: 1 })).status).toBe(400);

    const approved = await post(`/api/v1/deploys/${id}/approve`, bob);
    expect(approved.status).toBe(202);
    expect(await json(approved)).toMatchObject({ id, status: "queued" });
    // While it holds the lock, approving the other request is refused naming the holder, and it keeps waiting.
    const locked = await post(`/api/v1/deploys/${second}/approve`, alice);
    expect(locked.status).toBe(409);
    expect((await json(locked)).error?.message).toMatch(/ok is locked: a deploy or rollback by token alice/);
    expect(await statusOf(second)).toBe("awaiting_approval");

    await expect.poll(() => statusOf(id), { timeout: 60_000, interval: 300 }).toBe("succeeded");
    const done = await json(await api(`/api/v1/deploys/${id}`, bob));
    expect(done).toMatchObject({ commit: repo.commits[0], requestedBy: "token alice", decidedBy: "token bob" });
    expect(readlinkSync(path.join(deployPath, "current"))).toMatch(/^releases\//);

    const events = await appDb().auditEvent.findMany({ where: { targetId: id }, orderBy: { id: "asc" }, select: { action: true, outcome: true, actorLabel: true } });
    expect(events.filter((e) => e.outcome === "success").map((e) => e.action)).toEqual(["deploy.start", "deploy.approve", "deploy.finish"]);
    expect(await appDb().auditEvent.count({ where: { action: "deploy.approve", outcome: "denied" } })).toBeGreaterThanOrEqual(3);

    const rejected = await post(`/api/v1/deploys/${second}/reject`, alice, { reason: "superseded by the first" });
    expect(rejected.status).toBe(202);
    expect(await json(await api(`/api/v1/deploys/${second}`, bob))).toMatchObject({ status: "rejected", rejectReason: "superseded by the first", decidedBy: "token alice", error: "rejected by token alice: superseded by the first" });
    expect((await post(`/api/v1/deploys/${second}/approve`, alice)).status).toBe(409);
  });

  it("an unanswered request expires after the environment's TTL (the worker's cron), audited as the system", async () => {
    const { appId } = await approvalApp("expire", 1);
    const id = await request(appId);
    await appDb().deploy.update({ where: { id }, data: { createdAt: new Date(Date.now() - 2 * 60_000) } });
    const late = await post(`/api/v1/deploys/${id}/approve`, bob);
    expect(late.status).toBe(409);
    expect((await json(late)).error?.message).toMatch(/This request expired/);
    await expect.poll(() => statusOf(id), { timeout: 150_000, interval: 2000 }).toBe("expired");
    const event = await appDb().auditEvent.findFirstOrThrow({ where: { action: "deploy.expire", targetId: id } });
    expect(event).toMatchObject({ actorType: "system", outcome: "success" });
  }, 180_000);
});
