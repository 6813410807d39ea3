import { existsSync, mkdtempSync, readlinkSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "../../lib/auth/tokens";
import { api } from "../helpers/http";
import { appDb } from "../helpers/app-db";
import { startSshd, type TestSshd } from "../harness/sshd";
import { createTestRepo, demoRestartCommand, freePort, stopDemoApp, type TestRepo } from "../harness/git-app";

/**
 * The deploy API end to end against the running app and its worker: real sshd, real git, real HTTP.
 */
let sshd: TestSshd;
let repo: TestRepo;
let admin: string;
let deployer: string;
let root: string;
const marker = path.join(os.tmpdir(), `deckhand-injection-marker-${process.pid}`);

beforeAll(async () => {
  sshd = await startSshd();
  repo = createTestRepo(2);
  root = mkdtempSync(path.join(os.tmpdir(), "deckhand-api-"));
  admin = (await createApiToken(appDb(), { name: "api-admin", role: "admin" })).token;
  deployer = (await createApiToken(appDb(), { name: "api-deployer", role: "deployer" })).token;
});

afterAll(async () => {
  stopDemoApp(path.join(root, "app"));
  await sshd?.stop();
  repo?.cleanup();
  rmSync(root, { recursive: true, force: true });
  rmSync(marker, { force: true });
  await appDb().$disconnect();
});

async function json(res: Response) {
  return (await res.json()) as Record<string, unknown> & { error?: { code: string; message: string } };
}

async function waitForDeploy(id: string, token = deployer, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const d = await json(await api(`/api/v1/deploys/${id}`, token));
    if (!["queued", "running"].includes(String(d.status))) return d;
    if (Date.now() > deadline) throw new Error(`deploy ${id} still ${d.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function createServerAndApp(name: string, deployPath: string, extra: Record<string, unknown> = {}) {
  const server = await api("/api/v1/servers", admin, {
    method: "POST",
    body: JSON.stringify({ name: `${name}-srv`, host: sshd.host, port: sshd.port, username: sshd.username, privateKey: sshd.privateKey, hostKeyFingerprint: sshd.hostKeyFingerprint }),
  });
  expect(server.status).toBe(201);
  const serverBody = await json(server);
  expect(JSON.stringify(serverBody)).not.toContain("PRIVATE KEY");
  const port = await freePort();
  const app = await api("/api/v1/apps", admin, {
    method: "POST",
    body: JSON.stringify({
      name,
      repoUrl: repo.path,
      deployPath,
      keepReleases: 5,
      installCommand: "",
      buildCommand: "sleep 1",
      smokeCommand: "test -f server.js",
      restartCommand: demoRestartCommand(deployPath),
      healthUrl: `http://127.0.0.1:${port}/health`,
      serverIds: [serverBody.id],
      strategy: "parallel",
      batchSize: 1,
      env: { PORT: String(port) },
      ...extra,
    }),
  });
  const appBody = await json(app);
  expect(app.status, JSON.stringify(appBody)).toBe(201);
  return { appId: String(appBody.id), serverId: String(serverBody.id) };
}

describe("deploy API", () => {
  it("deploys, reports steps and log, lists releases, and rolls back", async () => {
    const deployPath = path.join(root, "app");
    const { appId } = await createServerAndApp("api-demo", deployPath);

    const started = await api(`/api/v1/apps/${appId}/deploys`, deployer, { method: "POST", body: JSON.stringify({ ref: "v1.0" }) });
    expect(started.status).toBe(202);
    const { id, status } = await json(started);
    expect(status).toBe("queued");
    const done = await waitForDeploy(String(id));
    expect(done).toMatchObject({ kind: "deploy", status: "succeeded", commit: repo.commits[0], autoRolledBack: false, error: null });
    const steps = done.steps as { name: string; server: string | null; status: string; startedAt: string; finishedAt: string }[];
    expect(steps.map((s) => s.name)).toEqual(["resolve", "connect", "prepare", "fetch", "install", "build", "smoke", "switch", "restart", "health", "cleanup"]);
    expect(steps.every((s) => s.status === "succeeded" && s.startedAt && s.finishedAt)).toBe(true);

    const logRes = await api(`/api/v1/deploys/${id}/log`, deployer);
    expect(logRes.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await logRes.text()).toContain("▶ health on api-demo-srv");

    const second = await json(await api(`/api/v1/apps/${appId}/deploys`, deployer, { method: "POST", body: JSON.stringify({ ref: "main" }) }));
    expect((await waitForDeploy(String(second.id))).status).toBe("succeeded");

    const releases = (await (await api(`/api/v1/apps/${appId}/releases`, deployer)).json()) as { id: string; commit: string; dir: string; current: boolean; status: string }[];
    expect(releases).toHaveLength(2);
    expect(releases[0]).toMatchObject({ commit: repo.commits[1], current: true, status: "succeeded" });
    expect(releases[1]).toMatchObject({ commit: repo.commits[0], current: false });

    const rb = await api(`/api/v1/apps/${appId}/rollbacks`, deployer, { method: "POST", body: JSON.stringify({}) });
    expect(rb.status).toBe(202);
    const rbDone = await waitForDeploy(String((await json(rb)).id));
    expect(rbDone).toMatchObject({ kind: "rollback", status: "succeeded", releaseId: releases[1]!.id });
    expect(readlinkSync(path.join(deployPath, "current"))).toBe(`releases/${releases[1]!.dir}`);
  });

  it("ten concurrent deploy requests: exactly one runs, nine get 409 naming who holds the lock", async () => {
    const { appId } = await createServerAndApp("api-lock", path.join(root, "lock"));
    const responses = await Promise.all(Array.from({ length: 10 }, () => api(`/api/v1/apps/${appId}/deploys`, deployer, { method: "POST", body: JSON.stringify({ ref: "main" }) })));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([202, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    const conflicts = await Promise.all(responses.filter((r) => r.status === 409).map(json));
    for (const c of conflicts) expect(c.error).toMatchObject({ code: "conflict", message: expect.stringContaining("token api-deployer") });
    const winner = await json(responses.find((r) => r.status === 202)!);
    expect((await waitForDeploy(String(winner.id))).status).toBe("succeeded");
    expect(await appDb().deploy.count({ where: { appId } })).toBe(1);
    stopDemoApp(path.join(root, "lock"));
  });

  it("cancels a running deploy through the API", async () => {
    const { appId } = await createServerAndApp("api-cancel", path.join(root, "cancel"), { buildCommand: "sleep 60" });
    const { id } = await json(await api(`/api/v1/apps/${appId}/deploys`, deployer, { method: "POST", body: JSON.stringify({ ref: "main" }) }));
    await expect.poll(async () => ((await json(await api(`/api/v1/deploys/${id}`, deployer))).steps as { name: string; status: string }[] | undefined)?.find((s) => s.name === "build")?.status, { timeout: 30_000 }).toBe("running");
    const cancel = await api(`/api/v1/deploys/${id}/cancel`, deployer, { method: "POST" });
    expect(cancel.status).toBe(202);
    expect((await waitForDeploy(String(id), deployer, 20_000)).status).toBe("cancelled");
    expect(existsSync(path.join(root, "cancel", "current"))).toBe(false);
    expect((await api(`/api/v1/deploys/${id}/cancel`, deployer, { method: "POST" })).status).toBe(409);
  });

  it("refuses hostile refs and paths with 400, and runs hostile-but-quoted values harmlessly", async () => {
    const { appId } = await createServerAndApp("api-hostile", path.join(root, "hostile"));
    const hostileRefs = [
      `$(touch ${marker})`,
      `\`touch ${marker}\``,
      `main; touch ${marker}`,
      `main | touch ${marker}`,
      `main && touch ${marker}`,
      `main\ntouch ${marker}`,
      `--upload-pack=touch ${marker}`,
      "-main",
      "../../etc/passwd",
      "main..HEAD",
      "refs/heads/.hidden",
      "main@{1}",
      "main~1",
      "",
    ];
    for (const ref of hostileRefs) {
      const res = await api(`/api/v1/apps/${appId}/deploys`, deployer, { method: "POST", body: JSON.stringify({ ref }) });
      expect(res.status, `ref ${JSON.stringify(ref)}`).toBe(400);
      expect((await json(res)).error?.message).toMatch(/^ref: /);
    }
    const hostileApps = [
      { deployPath: `/srv/$(touch ${marker})` },
      { deployPath: "/srv/../etc" },
      { deployPath: "relative/path" },
      { deployPath: "/" },
      { deployPath: "/srv/app;rm -rf /" },
      { repoUrl: `--upload-pack=touch ${marker}` },
      { repoUrl: `/tmp/repo touch ${marker}` },
      { repoUrl: "/tmp/repo\ntouch x" },
      { name: "-rf" },
      { healthUrl: "file:///etc/passwd" },
      { env: { "BAD NAME": "x" } },
    ];
    for (const [i, patch] of hostileApps.entries()) {
      const body = { name: `hostile-${i}`, repoUrl: repo.path, deployPath: path.join(root, `h${i}`), serverIds: [], ...patch };
      const res = await api("/api/v1/apps", admin, { method: "POST", body: JSON.stringify(body) });
      expect(res.status, JSON.stringify(patch)).toBe(400);
    }
    // Accepted by validation, but only ever passed quoted: the fetch fails, nothing runs.
    const quoted = await createServerAndApp("api-quoted", path.join(root, "quoted"), { repoUrl: `${repo.path}$(touch\${IFS}${marker})\`touch\${IFS}${marker}\`` });
    const d = await json(await api(`/api/v1/apps/${quoted.appId}/deploys`, deployer, { method: "POST", body: JSON.stringify({ ref: "main" }) }));
    const finished = await waitForDeploy(String(d.id));
    expect(finished.status).toBe("failed");
    expect(existsSync(marker)).toBe(false);
  });
});
