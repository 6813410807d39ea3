import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "../../lib/auth/tokens";
import { api } from "../helpers/http";
import { appDb } from "../helpers/app-db";
import { startSshd, type TestSshd } from "../harness/sshd";
import { createTestRepo, demoRestartCommand, freePort, stopDemoApp, type TestRepo } from "../harness/git-app";

/**
 * Deploys a person can read (issue 12), over HTTP against the running app and worker, real sshd and real git:
 * commit message/author/date on deploys and releases, GET /api/v1/apps/{appId}/changes, the log download,
 * cancelled releases listed as cancelled.
 */
let sshd: TestSshd;
let repo: TestRepo;
let admin: string;
let viewer: string;
let root: string;

beforeAll(async () => {
  sshd = await startSshd();
  repo = createTestRepo(3);
  repo.commit("Colour the build\n\nThe build prints in red and warns on stderr.\n");
  root = mkdtempSync(path.join(os.tmpdir(), "deckhand-legible-"));
  admin = (await createApiToken(appDb(), { name: "legible-admin", role: "admin" })).token;
  viewer = (await createApiToken(appDb(), { name: "legible-viewer", role: "viewer" })).token;
});

afterAll(async () => {
  for (const name of ["shop", "cancel"]) stopDemoApp(path.join(root, name));
  await sshd?.stop();
  repo?.cleanup();
  rmSync(root, { recursive: true, force: true });
  await appDb().$disconnect();
});

type Json = Record<string, unknown> & { error?: { code: string; message: string } };
async function json(res: Response): Promise<Json> {
  return (await res.json()) as Json;
}

async function waitForDeploy(id: string, timeoutMs = 60_000): Promise<Json> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const d = await json(await api(`/api/v1/deploys/${id}`, admin));
    if (!["queued", "running"].includes(String(d.status))) return d;
    if (Date.now() > deadline) throw new Error(`deploy ${id} still ${d.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function createApp(name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const server = await json(
    await api("/api/v1/servers", admin, {
      method: "POST",
      body: JSON.stringify({ name: `${name}-srv`, host: sshd.host, port: sshd.port, username: sshd.username, privateKey: sshd.privateKey, hostKeyFingerprint: sshd.hostKeyFingerprint }),
    }),
  );
  const port = await freePort();
  const deployPath = path.join(root, name);
  const res = await api("/api/v1/apps", admin, {
    method: "POST",
    body: JSON.stringify({
      name: `legible-${name}`,
      repoUrl: repo.path,
      deployPath,
      keepReleases: 5,
      installCommand: "",
      // stdout and stderr are two SSH streams: lines written 300 ms apart arrive in that order; written back to
      // back they may arrive either way (and are then kept in the order they arrived).
      buildCommand: "printf '\\033[31mred build\\033[0m\\n'; sleep 0.3; printf 'warn on stderr\\n' >&2; sleep 0.3; printf 'done\\n'",
      smokeCommand: "test -f server.js",
      restartCommand: demoRestartCommand(deployPath),
      healthUrl: `http://127.0.0.1:${port}/health`,
      serverIds: [server.id],
      strategy: "parallel",
      batchSize: 1,
      env: { PORT: String(port) },
      ...extra,
    }),
  });
  const body = await json(res);
  expect(res.status, JSON.stringify(body)).toBe(201);
  return String(body.id);
}

async function deploy(appId: string, ref: string): Promise<Json> {
  const started = await api(`/api/v1/apps/${appId}/deploys`, admin, { method: "POST", body: JSON.stringify({ ref }) });
  expect(started.status).toBe(202);
  return waitForDeploy(String((await json(started)).id));
}

async function changes(appId: string, to: string, token = viewer): Promise<{ status: number; body: Json }> {
  const res = await api(`/api/v1/apps/${appId}/changes?to=${encodeURIComponent(to)}`, token);
  return { status: res.status, body: await json(res) };
}

describe("deploys a person can read", () => {
  let appId: string;
  let firstDeployId: string;

  it("a deploy and its release carry the commit's message, author and date", async () => {
    appId = await createApp("shop");
    const before = await changes(appId, "v1.0");
    expect(before.status, JSON.stringify(before.body)).toBe(200);
    expect(before.body).toMatchObject({ from: null, to: { sha: repo.commits[0], ref: "v1.0", releaseId: null }, compareUrl: null });

    const done = await deploy(appId, "v1.0");
    firstDeployId = String(done.id);
    expect(done).toMatchObject({ status: "succeeded", commit: repo.commits[0], commitMessage: "v1", commitAuthor: "t <t@example.test>" });
    expect(Date.parse(String(done.committedAt))).toBeGreaterThan(Date.now() - 3_600_000);

    const releases = (await (await api(`/api/v1/apps/${appId}/releases`, viewer)).json()) as Json[];
    expect(releases[0]).toMatchObject({ commit: repo.commits[0], commitMessage: "v1", commitAuthor: "t <t@example.test>", committedAt: done.committedAt });
  });

  it("GET changes lists the commits a deploy adds, newest first, by branch, short SHA or full SHA", async () => {
    const byBranch = await changes(appId, "main");
    expect(byBranch.status).toBe(200);
    expect(byBranch.body).toMatchObject({ from: { sha: repo.commits[0] }, to: { sha: repo.commits[3], ref: "main" }, direction: "forward", total: 3, compareUrl: null });
    const commits = byBranch.body.commits as { sha: string; message: string; author: string; committedAt: string }[];
    expect(commits.map((c) => c.sha)).toEqual([repo.commits[3], repo.commits[2], repo.commits[1]]);
    expect(commits.map((c) => c.message)).toEqual(["Colour the build", "v3", "v2"]);
    expect(commits[0]!.author).toBe("t <t@example.test>");
    expect(commits[0]!.committedAt).toMatch(/^\d{4}-\d\d-\d\dT/);

    const byShort = await changes(appId, repo.commits[1]!.slice(0, 8));
    expect(byShort.body).toMatchObject({ to: { sha: repo.commits[1] }, direction: "forward", total: 1 });
    const same = await changes(appId, repo.commits[0]!);
    expect(same.body).toMatchObject({ direction: "same", total: 0, commits: [] });
  });

  it("GET changes to an older release lists what a rollback takes away", async () => {
    await deploy(appId, "main");
    const releases = (await (await api(`/api/v1/apps/${appId}/releases`, viewer)).json()) as { id: string; commit: string; current: boolean }[];
    const older = releases.find((r) => r.commit === repo.commits[0])!;
    const back = await changes(appId, older.id);
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ from: { sha: repo.commits[3] }, to: { sha: repo.commits[0], releaseId: older.id }, direction: "back", total: 3 });
    expect((back.body.commits as { sha: string }[]).map((c) => c.sha)).toEqual([repo.commits[3], repo.commits[2], repo.commits[1]]);
  });

  it("GET changes refuses what names no commit (400 naming `to`), unknown apps (404) and anonymous callers (401)", async () => {
    const unknown = await changes(appId, "no-such-branch");
    expect(unknown.status).toBe(400);
    expect(unknown.body.error!.message).toMatch(/^to: "no-such-branch" is not a branch or tag/);
    const missing = await api(`/api/v1/apps/${appId}/changes`, viewer);
    expect(missing.status).toBe(400);
    expect((await json(missing)).error!.message).toMatch(/to/);
    expect((await changes("no-such-app", "main")).status).toBe(404);
    expect((await api(`/api/v1/apps/${appId}/changes?to=main`, "not-a-token")).status).toBe(401);
  });

  it("caps the list at 50 newest first, with the total beyond", async () => {
    for (let i = 1; i <= 55; i++) repo.commit(`bulk ${i}`);
    const many = await changes(appId, "main");
    expect(many.body).toMatchObject({ direction: "forward", total: 55 });
    const commits = many.body.commits as { message: string }[];
    expect(commits).toHaveLength(50);
    expect(commits[0]!.message).toBe("bulk 55");
    expect(commits[49]!.message).toBe("bulk 6");
  });

  it("downloads the log as a file: ANSI stripped by default, kept on request, stdout and stderr in arrival order", async () => {
    const plain = await api(`/api/v1/deploys/${firstDeployId}/log?download=true`, viewer);
    expect(plain.status).toBe(200);
    expect(plain.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(plain.headers.get("content-disposition")).toMatch(/^attachment; filename="legible-shop-deploy-\d{8}T\d{6}-[a-z0-9-]+\.log"$/);
    const text = await plain.text();
    expect(text).not.toContain("\x1b");
    expect(text).toMatch(/red build\nwarn on stderr\ndone\n/);
    const kept = await (await api(`/api/v1/deploys/${firstDeployId}/log?ansi=keep`, viewer)).text();
    expect(kept).toContain("\x1b[31mred build\x1b[0m");
    expect((await api(`/api/v1/deploys/${firstDeployId}/log?ansi=maybe`, viewer)).status).toBe(400);
  });

  it("a cancelled deploy's release is listed as cancelled, not failed", async () => {
    const cancelApp = await createApp("cancel", { buildCommand: "sleep 60" });
    const started = await json(await api(`/api/v1/apps/${cancelApp}/deploys`, admin, { method: "POST", body: JSON.stringify({ ref: "main" }) }));
    const deadline = Date.now() + 30_000;
    while ((await json(await api(`/api/v1/deploys/${started.id}`, admin))).release === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect((await api(`/api/v1/deploys/${started.id}/cancel`, admin, { method: "POST" })).status).toBe(202);
    expect((await waitForDeploy(String(started.id), 30_000)).status).toBe("cancelled");
    const releases = (await (await api(`/api/v1/apps/${cancelApp}/releases`, viewer)).json()) as { status: string }[];
    expect(releases.map((r) => r.status)).toEqual(["cancelled"]);
  });
});
