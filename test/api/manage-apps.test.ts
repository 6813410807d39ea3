import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "../../lib/auth/tokens";
import { api } from "../helpers/http";
import { appDb } from "../helpers/app-db";
import { startSshd, type TestSshd } from "../harness/sshd";

/**
 * Managing apps through the API against the running web app: PATCH, per-variable env, DELETE (with its
 * releases removed from a real sshd), and every refusal (400, 403, 404, 409, 502).
 */
let sshd: TestSshd;
let admin: string;
let deployer: string;
let viewer: string;
let root: string;
const run = Date.now().toString(36);

beforeAll(async () => {
  sshd = await startSshd();
  root = mkdtempSync(path.join(os.tmpdir(), "deckhand-manage-apps-"));
  admin = (await createApiToken(appDb(), { name: `ma-admin-${run}`, role: "admin" })).token;
  deployer = (await createApiToken(appDb(), { name: `ma-deployer-${run}`, role: "deployer" })).token;
  viewer = (await createApiToken(appDb(), { name: `ma-viewer-${run}`, role: "viewer" })).token;
});

afterAll(async () => {
  await sshd?.stop();
  rmSync(root, { recursive: true, force: true });
  await appDb().$disconnect();
});

type Body = Record<string, unknown> & { error?: { code: string; message: string } };
async function json(res: Response): Promise<Body> {
  return (await res.json()) as Body;
}
const body = (b: unknown): RequestInit => ({ body: JSON.stringify(b) });

async function createServer(name: string, pinned = true): Promise<string> {
  const res = await api("/api/v1/servers", admin, {
    method: "POST",
    ...body({ name, host: sshd.host, port: sshd.port, username: sshd.username, privateKey: sshd.privateKey, ...(pinned ? { hostKeyFingerprint: sshd.hostKeyFingerprint } : {}) }),
  });
  const b = await json(res);
  expect(res.status, JSON.stringify(b)).toBe(201);
  return String(b.id);
}

async function createApp(name: string, serverIds: string[], extra: Record<string, unknown> = {}): Promise<{ id: string; deployPath: string }> {
  const deployPath = path.join(root, name);
  const res = await api("/api/v1/apps", admin, { method: "POST", ...body({ name, repoUrl: "/srv/none.git", deployPath, serverIds, ...extra }) });
  const b = await json(res);
  expect(res.status, JSON.stringify(b)).toBe(201);
  return { id: String(b.id), deployPath };
}

async function lastEvent(action: string, targetId: string) {
  return appDb().auditEvent.findFirst({ where: { action, targetId }, orderBy: { id: "desc" } });
}

/** A deploy path as a deploy leaves it, plus a file of someone else's that must survive. */
function fakeDeployed(deployPath: string): void {
  mkdirSync(path.join(deployPath, "releases", "20261207000000-abcdef0"), { recursive: true });
  writeFileSync(path.join(deployPath, "releases", "20261207000000-abcdef0", "REVISION"), "abc\n");
  mkdirSync(path.join(deployPath, "shared"), { recursive: true });
  writeFileSync(path.join(deployPath, "shared", ".env"), "SECRET=1\n");
  symlinkSync("releases/20261207000000-abcdef0", path.join(deployPath, "current"));
  writeFileSync(path.join(deployPath, "keep.txt"), "not Deckhand's\n");
}

describe("PATCH /api/v1/apps/{appId}", () => {
  it("changes the per-app health settings (the app monitor follows), and refuses bad input, deployers and unknown apps", async () => {
    const { id } = await createApp(`ma-patch-${run}`, [], { healthUrl: "http://127.0.0.1:9/health" });
    const monitor = () => appDb().monitor.findFirstOrThrow({ where: { appId: id, isAppHealth: true } });
    expect((await monitor()).intervalSeconds).toBe(60);

    const res = await api(`/api/v1/apps/${id}`, admin, { method: "PATCH", ...body({ healthRetries: 3, healthRetryDelayMs: 250, monitorIntervalSeconds: 30 }) });
    const b = await json(res);
    expect(res.status, JSON.stringify(b)).toBe(200);
    expect(b).toMatchObject({ healthRetries: 3, healthRetryDelayMs: 250, monitorIntervalSeconds: 30 });
    expect((await monitor()).intervalSeconds).toBe(30);

    // null: back to the global value.
    const reset = await json(await api(`/api/v1/apps/${id}`, admin, { method: "PATCH", ...body({ monitorIntervalSeconds: null }) }));
    expect(reset).toMatchObject({ healthRetries: 3, monitorIntervalSeconds: null });
    expect((await monitor()).intervalSeconds).toBe(60);

    const bad = await api(`/api/v1/apps/${id}`, admin, { method: "PATCH", ...body({ healthRetries: 0 }) });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error!.message).toMatch(/healthRetries: health check retries must be at least 1/);
    const tooFast = await api(`/api/v1/apps/${id}`, admin, { method: "PATCH", ...body({ monitorIntervalSeconds: 2 }) });
    expect(tooFast.status).toBe(400);
    expect((await api(`/api/v1/apps/${id}`, deployer, { method: "PATCH", ...body({ healthRetries: 2 }) })).status).toBe(403);
    expect((await api(`/api/v1/apps/nope-${run}`, admin, { method: "PATCH", ...body({ healthRetries: 2 }) })).status).toBe(404);
  });
});

describe("per-variable environment", () => {
  it("adds, replaces, lists (names only) and removes one variable, audited without its value", async () => {
    const { id } = await createApp(`ma-env-${run}`, [], { env: { KEEP: "kept-value-1" } });
    const secretValue = `s3cret-${run}-value`;

    const added = await api(`/api/v1/apps/${id}/env/DATABASE_URL`, admin, { method: "PUT", ...body({ value: secretValue }) });
    const addedBody = await json(added);
    expect(added.status, JSON.stringify(addedBody)).toBe(200);
    expect(addedBody).toEqual({ appId: id, key: "DATABASE_URL", environment: "production", set: true, created: true });
    const replaced = await json(await api(`/api/v1/apps/${id}/env/DATABASE_URL`, admin, { method: "PUT", ...body({ value: `${secretValue}-2` }) }));
    expect(replaced.created).toBe(false);

    const listRes = await api(`/api/v1/apps/${id}/env`, viewer);
    expect(listRes.status).toBe(200);
    const listText = await listRes.text();
    expect(listText).not.toContain(secretValue);
    expect(listText).not.toContain("kept-value-1");
    const list = JSON.parse(listText) as { key: string; set: boolean; updatedAt: string }[];
    expect(list.map((v) => v.key)).toEqual(["DATABASE_URL", "KEEP"]);
    expect(list.every((v) => v.set === true && !Number.isNaN(Date.parse(v.updatedAt)))).toBe(true);
    expect(Object.keys(list[0]!).sort()).toEqual(["key", "set", "updatedAt"]);

    const event = await lastEvent("app.env.set", id);
    expect(event).toMatchObject({ outcome: "success", targetType: "app" });
    expect(event!.summary).toEqual({ variable: "DATABASE_URL", environment: "production", created: false });
    expect(JSON.stringify(event!.summary)).not.toContain(secretValue);

    const removed = await api(`/api/v1/apps/${id}/env/DATABASE_URL`, admin, { method: "DELETE" });
    expect(removed.status).toBe(204);
    expect(await removed.text()).toBe("");
    expect(((await json(await api(`/api/v1/apps/${id}/env`, admin))) as unknown as { key: string }[]).map((v) => v.key)).toEqual(["KEEP"]);
    expect((await lastEvent("app.env.remove", id))?.outcome).toBe("success");

    const again = await api(`/api/v1/apps/${id}/env/DATABASE_URL`, admin, { method: "DELETE" });
    expect(again.status).toBe(404);
    expect((await json(again)).error!.message).toBe("Variable DATABASE_URL not found");
  });

  it("refuses a bad name, a missing value, a deployer, and an unknown app", async () => {
    const { id } = await createApp(`ma-env-bad-${run}`, []);
    for (const key of ["1ABC", "BAD-NAME", "A%20B"]) {
      const res = await api(`/api/v1/apps/${id}/env/${key}`, admin, { method: "PUT", ...body({ value: "x" }) });
      expect(res.status, key).toBe(400);
      expect((await json(res)).error!.message, key).toMatch(/^key: must be an environment variable name/);
    }
    const noValue = await api(`/api/v1/apps/${id}/env/OK_NAME`, admin, { method: "PUT", ...body({}) });
    expect(noValue.status).toBe(400);
    expect((await json(noValue)).error!.message).toMatch(/^value: /);
    expect((await api(`/api/v1/apps/${id}/env/OK_NAME`, deployer, { method: "PUT", ...body({ value: "x" }) })).status).toBe(403);
    expect((await api(`/api/v1/apps/${id}/env/OK_NAME`, viewer, { method: "DELETE" })).status).toBe(403);
    expect((await api(`/api/v1/apps/nope-${run}/env/OK_NAME`, admin, { method: "PUT", ...body({ value: "x" }) })).status).toBe(404);
    expect((await api(`/api/v1/apps/nope-${run}/env`, admin)).status).toBe(404);
    expect((await api(`/api/v1/apps/nope-${run}/env/OK_NAME`, admin, { method: "DELETE" })).status).toBe(404);
    expect(await appDb().appSecret.count({ where: { appId: id } })).toBe(0);
  });
});

describe("DELETE /api/v1/apps/{appId}", () => {
  it("without removeReleases: 204, the app and its monitors gone, its files left on the server", async () => {
    const serverId = await createServer(`ma-del-srv-${run}`);
    const { id, deployPath } = await createApp(`ma-del-${run}`, [serverId], { healthUrl: "http://127.0.0.1:9/health" });
    fakeDeployed(deployPath);
    expect(await appDb().monitor.count({ where: { appId: id } })).toBe(1);

    const res = await api(`/api/v1/apps/${id}`, admin, { method: "DELETE" });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
    expect(await appDb().app.findUnique({ where: { id } })).toBeNull();
    expect(await appDb().monitor.count({ where: { appId: id } })).toBe(0);
    expect(existsSync(path.join(deployPath, "releases"))).toBe(true);
    const event = await lastEvent("app.delete", id);
    expect(event).toMatchObject({ outcome: "success", targetName: `ma-del-${run}` });
    expect(event!.summary).toMatchObject({ removeReleases: false, deleted: true, monitorsRemoved: [`ma-del-${run} health`] });
    expect((await api(`/api/v1/apps/${id}`, admin, { method: "DELETE" })).status).toBe(404);
  });

  it("with removeReleases=true: 202, releases/, current and shared/ gone from the real sshd host, other files kept", async () => {
    const serverId = await createServer(`ma-rm-srv-${run}`);
    const { id, deployPath } = await createApp(`ma-rm-${run}`, [serverId]);
    fakeDeployed(deployPath);

    const res = await api(`/api/v1/apps/${id}?removeReleases=true`, admin, { method: "DELETE" });
    const b = await json(res);
    expect(res.status, JSON.stringify(b)).toBe(202);
    expect(b).toMatchObject({ id, deleted: true, releasesRemoved: true, servers: [{ serverId, server: `ma-rm-srv-${run}`, removed: true }] });
    for (const gone of ["releases", "current", "shared"]) expect(existsSync(path.join(deployPath, gone)), gone).toBe(false);
    expect(readFileSync(path.join(deployPath, "keep.txt"), "utf8")).toBe("not Deckhand's\n");
    expect(await appDb().app.findUnique({ where: { id } })).toBeNull();
    expect((await lastEvent("app.delete", id))!.summary).toMatchObject({ removeReleases: true, deleted: true, servers: [{ server: `ma-rm-srv-${run}`, removed: true }] });
  });

  it("a server that cannot be reached safely: 502 naming it, the app kept, the other server's files removed, audited", async () => {
    const good = await createServer(`ma-part-ok-${run}`);
    const unpinned = await createServer(`ma-part-unpinned-${run}`, false);
    const { id, deployPath } = await createApp(`ma-part-${run}`, [good, unpinned]);
    fakeDeployed(deployPath);

    const res = await api(`/api/v1/apps/${id}?removeReleases=true`, admin, { method: "DELETE" });
    const b = await json(res);
    expect(res.status, JSON.stringify(b)).toBe(502);
    expect(b.error!.code).toBe("remote_failed");
    expect(b.error!.message).toContain(`ma-part-unpinned-${run} (ma-part-unpinned-${run} has no pinned host key`);
    expect(b.error!.message).toContain(`They were removed from ma-part-ok-${run}`);
    expect(b.error!.message).toContain("The app was not deleted");
    expect(await appDb().app.findUnique({ where: { id } })).not.toBeNull();
    const event = await lastEvent("app.delete", id);
    expect(event!.outcome).toBe("failure");
    expect(event!.summary).toMatchObject({
      deleted: false,
      servers: [
        { server: `ma-part-ok-${run}`, removed: true },
        { server: `ma-part-unpinned-${run}`, removed: false },
      ],
    });
  });

  it("refuses while a deploy is queued (409 naming it), a deployer (403), an unknown app (404), a bad flag (400)", async () => {
    const { id } = await createApp(`ma-busy-${run}`, []);
    const deploy = await appDb().deploy.create({ data: { appId: id, kind: "deploy", status: "queued", ref: "main", actorLabel: "ci-token" } });
    const busy = await api(`/api/v1/apps/${id}?removeReleases=true`, admin, { method: "DELETE" });
    expect(busy.status).toBe(409);
    expect((await json(busy)).error!.message).toMatch(new RegExp(`cannot be deleted while a deploy by ci-token is queued \\(${deploy.id}\\)`));
    expect(await appDb().app.findUnique({ where: { id } })).not.toBeNull();
    await appDb().deploy.update({ where: { id: deploy.id }, data: { status: "cancelled", finishedAt: new Date() } });

    expect((await api(`/api/v1/apps/${id}`, deployer, { method: "DELETE" })).status).toBe(403);
    expect(await appDb().auditEvent.findFirst({ where: { action: "app.delete", outcome: "denied", actorLabel: { contains: `ma-deployer-${run}` } } })).not.toBeNull();
    expect((await api(`/api/v1/apps/nope-${run}`, admin, { method: "DELETE" })).status).toBe(404);
    const badFlag = await api(`/api/v1/apps/${id}?removeReleases=maybe`, admin, { method: "DELETE" });
    expect(badFlag.status).toBe(400);
    expect((await json(badFlag)).error!.message).toBe("removeReleases: must be true or false");
    expect((await api(`/api/v1/apps/${id}`, admin, { method: "DELETE" })).status).toBe(204);
  });
});
