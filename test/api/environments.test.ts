import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "../../lib/auth/tokens";
import { api } from "../helpers/http";
import { appDb, makeUser } from "../helpers/app-db";
import { startSshd, type TestSshd } from "../harness/sshd";
import { createTestRepo, demoAppInput, freePort, PATH_FREE_DEMO_RESTART, stopDemoApp, type TestRepo } from "../harness/git-app";

/**
 * Environments end to end against the running app and its worker, on real sshd and git: staging and production
 * of one app on one machine (two server records for the same sshd), each in its own deploy path with its own
 * variables; a deploy to staging, a promotion of exactly that commit to production (checked on disk), and a
 * freeze window refused, overridden by an admin with a reason, and lifted.
 */
let sshd: TestSshd;
let repo: TestRepo;
let root: string;
let admin: string;
let deployer: string;
let viewer: string;

beforeAll(async () => {
  sshd = await startSshd();
  repo = createTestRepo(2);
  root = mkdtempSync(path.join(os.tmpdir(), "deckhand-environments-"));
  admin = (await createApiToken(appDb(), { name: "env-admin", role: "admin" })).token;
  const person = await makeUser("deployer");
  deployer = (await createApiToken(appDb(), { name: "env-deployer", role: "deployer", createdById: person.id })).token;
  viewer = (await createApiToken(appDb(), { name: "env-viewer", role: "viewer" })).token;
});

afterAll(async () => {
  for (const p of ["production", "staging"]) stopDemoApp(path.join(root, p));
  await sshd?.stop();
  repo?.cleanup();
  rmSync(root, { recursive: true, force: true });
  await appDb().$disconnect();
});

type Body = Record<string, unknown> & { error?: { code: string; message: string } };
const json = async (res: Response) => (await res.json()) as Body;
const send = (method: string, p: string, token: string, body?: unknown) => api(p, token, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
const deployOf = async (id: string) => json(await api(`/api/v1/deploys/${id}`, viewer));

async function expectStatus(res: Response, status: number): Promise<Body> {
  const body = res.status === 204 ? {} : await json(res);
  expect(res.status, JSON.stringify(body)).toBe(status);
  return body;
}

async function finished(id: string): Promise<Body> {
  await expect.poll(async () => (await deployOf(id)).status, { timeout: 90_000, interval: 300 }).toBe("succeeded");
  return deployOf(id);
}

const revisionAt = (deployPath: string) => readFileSync(path.join(deployPath, "current", "REVISION"), "utf8").trim();

async function server(name: string): Promise<string> {
  const body = await expectStatus(await send("POST", "/api/v1/servers", admin, { name, host: sshd.host, port: sshd.port, username: sshd.username, privateKey: sshd.privateKey, hostKeyFingerprint: sshd.hostKeyFingerprint }), 201);
  return String(body.id);
}

describe("environments API", () => {
  it("staging gets its own path and variables, deploys on its own, promotes its exact commit to production, and production's freeze holds", async () => {
    const prodPath = path.join(root, "production");
    const stagePath = path.join(root, "staging");
    const [prodPort, stagePort] = [await freePort(), await freePort()];
    const prodServer = await server("env-prod");
    const stageServer = await server("env-stage");
    const app = await expectStatus(
      await send("POST", "/api/v1/apps", admin, demoAppInput({ name: "envs", repoPath: repo.path, deployPath: prodPath, port: prodPort, serverIds: [prodServer] }, { restartCommand: PATH_FREE_DEMO_RESTART })),
      201,
    );
    const base = `/api/v1/apps/${String(app.id)}`;

    // The same machine at the same path would share `current`: refused, naming the field and the fix.
    const clash = await expectStatus(await send("POST", `${base}/environments`, admin, { name: "staging", serverIds: [stageServer] }), 400);
    expect(clash.error?.message).toMatch(/deployPath: .* is also where production deploys .* the same machine\); give this environment its own deployPath/);
    await expectStatus(await send("POST", `${base}/environments`, viewer, { name: "staging", serverIds: [stageServer], deployPath: stagePath }), 403);
    const staging = await expectStatus(await send("POST", `${base}/environments`, admin, { name: "staging", serverIds: [stageServer], deployPath: stagePath, healthUrl: `http://127.0.0.1:${stagePort}/health`, position: 10 }), 201);
    expect(staging).toMatchObject({ name: "staging", deployPath: stagePath, position: 10, requireApproval: false, verdict: "off" });
    await expectStatus(await send("POST", `${base}/environments`, admin, { name: "staging", serverIds: [] }), 409);

    // Staging's own variables: production's PORT stays production's.
    expect(await expectStatus(await send("PUT", `${base}/env/PORT?environment=staging`, admin, { value: String(stagePort) }), 200)).toMatchObject({ environment: "staging", created: true });
    const keys = async (query: string) => ((await (await api(`${base}/env${query}`, viewer)).json()) as { key: string }[]).map((v) => v.key);
    expect(await keys("?environment=staging")).toEqual(["PORT"]);
    expect(await keys("")).toEqual(["PORT"]);
    expect(await appDb().appSecret.count({ where: { appId: String(app.id) } })).toBe(2);
    const unknownEnv = await expectStatus(await send("PUT", `${base}/env/PORT?environment=nope`, admin, { value: "1" }), 400);
    expect(unknownEnv.error?.message).toMatch(/no environment named "nope"/);

    // Nothing to promote yet.
    const empty = await expectStatus(await send("POST", `${base}/promotions`, deployer, { from: "staging", to: "production" }), 409);
    expect(empty.error?.message).toMatch(/staging has no current release/);
    await expectStatus(await send("POST", `${base}/deploys`, deployer, { ref: "main", environment: "nope" }), 400);

    const toStaging = await expectStatus(await send("POST", `${base}/deploys`, deployer, { ref: repo.commits[0], environment: "staging" }), 202);
    const staged = await finished(String(toStaging.id));
    expect(staged).toMatchObject({ environment: "staging", commit: repo.commits[0], promotedFrom: null });
    expect(revisionAt(stagePath)).toBe(repo.commits[0]);
    expect(existsSync(path.join(prodPath, "current"))).toBe(false);
    expect(await (await fetch(`http://127.0.0.1:${stagePort}/health`)).text()).toMatch(/ok/i);

    const envs = (await json(await api(`${base}/environments`, viewer))) as unknown as { name: string; current: { commit: string } | null }[];
    expect(envs.map((e) => [e.name, e.current?.commit ?? null])).toEqual([
      ["staging", repo.commits[0]],
      ["production", null],
    ]);

    // Promote: exactly staging's commit (not main's newer head) goes to production's path.
    expect(repo.commits[1]).not.toBe(repo.commits[0]);
    const promotion = await expectStatus(await send("POST", `${base}/promotions`, deployer, { from: "staging", to: "production" }), 202);
    const promoted = await finished(String(promotion.id));
    expect(promoted).toMatchObject({ environment: "production", promotedFrom: "staging", commit: repo.commits[0] });
    expect(revisionAt(prodPath)).toBe(repo.commits[0]);
    expect(revisionAt(stagePath)).toBe(repo.commits[0]);
    expect(await (await fetch(`http://127.0.0.1:${prodPort}/health`)).text()).toMatch(/ok/i);

    // A freeze on production: refused with the reason, a deployer cannot override, an admin can (recorded).
    const endsAt = new Date(Date.now() + 3_600_000).toISOString();
    const freeze = await expectStatus(await send("POST", `${base}/environments/production/freezes`, admin, { endsAt, reason: "holiday freeze" }), 201);
    const frozen = await expectStatus(await send("POST", `${base}/deploys`, deployer, { ref: "main" }), 409);
    expect(frozen.error?.message).toMatch(/production is frozen until .*holiday freeze/);
    await expectStatus(await send("POST", `${base}/deploys`, deployer, { ref: "main", override: { reason: "hotfix" } }), 403);
    await expectStatus(await send("POST", `${base}/deploys`, deployer, { ref: "main", environment: "staging" }), 202).then((d) => finished(String(d.id)));
    const overridden = await expectStatus(await send("POST", `${base}/deploys`, admin, { ref: "main", override: { reason: "hotfix approved by the on-call lead" } }), 202);
    expect(await finished(String(overridden.id))).toMatchObject({ environment: "production", commit: repo.commits[1], freezeOverrideReason: "hotfix approved by the on-call lead" });
    expect(revisionAt(prodPath)).toBe(repo.commits[1]);
    const event = await appDb().auditEvent.findFirstOrThrow({ where: { action: "deploy.start", targetId: String(overridden.id), outcome: "success" }, select: { summary: true } });
    expect(JSON.stringify(event.summary)).toContain("hotfix approved by the on-call lead");
    await expectStatus(await send("DELETE", `${base}/environments/production/freezes/${String(freeze.id)}`, admin), 204);

    // Production always stays; staging goes, and its servers with it.
    const kept = await expectStatus(await send("DELETE", `${base}/environments/production`, admin), 409);
    expect(JSON.stringify(kept)).toContain("production cannot be deleted: every app has it");
    await expectStatus(await send("DELETE", `${base}/environments/staging`, admin), 204);
    await expectStatus(await send("GET", `${base}/environments/staging`, viewer), 404);
  }, 240_000);
});
