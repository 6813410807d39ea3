import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "../../lib/auth/tokens";
import { api, appLogPath, signIn, type Session } from "../helpers/http";
import { appDb, makeUser } from "../helpers/app-db";
import { startSshd, type TestSshd } from "../harness/sshd";
import { createTestRepo, demoRestartCommand, freePort, stopDemoApp, type TestRepo } from "../harness/git-app";
import { startGitHttp, type GitHttpServer } from "../harness/git-http";

/**
 * Secrets never reach people who should not see them: an app whose repository URL carries a credential and
 * whose environment values are printed by its own build, deployed over real sshd from a real git HTTP server
 * that demands the credential. Then everything a viewer (and an admin's token) can read — pages, API answers,
 * the deploy log, its SSE stream, audit events and their export — and the server log file are searched for
 * the credential and the values.
 */
const TOKEN = `ghp_${Math.random().toString(36).slice(2)}Tok3n`;
const API_KEY = `sk-live-${Math.random().toString(36).slice(2)}-key`;
const DB_PASSWORD = `pw+${Math.random().toString(36).slice(2)}/db`;
const SHORT = "q7z";
const SECRETS = [TOKEN, API_KEY, DB_PASSWORD];

let sshd: TestSshd;
let repo: TestRepo;
let git: GitHttpServer;
let admin: string;
let viewer: Session;
let root: string;
let deployPath: string;

function expectNoSecret(where: string, text: string): void {
  for (const s of SECRETS) expect(text.includes(s), `${where} contains a secret`).toBe(false);
}

beforeAll(async () => {
  sshd = await startSshd();
  repo = createTestRepo(1);
  // The repository's own content names the credential: whatever prints it is masked too.
  repo.commit("notes", { "leak.txt": `the token is ${TOKEN}\n` });
  git = await startGitHttp(repo.path, "ci", TOKEN);
  root = mkdtempSync(path.join(os.tmpdir(), "deckhand-secrets-"));
  deployPath = path.join(root, "app");
  admin = (await createApiToken(appDb(), { name: `secrets-admin-${process.pid}`, role: "admin" })).token;
  const user = await makeUser("viewer");
  const signedIn = await signIn(user.email, user.password);
  expect(signedIn.ok).toBe(true);
  viewer = signedIn.session;
});

afterAll(async () => {
  stopDemoApp(deployPath);
  await git?.stop();
  await sshd?.stop();
  repo?.cleanup();
  rmSync(root, { recursive: true, force: true });
  await appDb().$disconnect();
});

async function json(res: Response) {
  return (await res.json()) as Record<string, unknown>;
}

async function waitForDeploy(id: string) {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const d = await json(await api(`/api/v1/deploys/${id}`, admin));
    if (!["queued", "running"].includes(String(d.status))) return d;
    if (Date.now() > deadline) throw new Error(`deploy ${id} still ${d.status}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("secrets in repository URLs and environment values", () => {
  it("never appear in anything a viewer can read, nor in the server log, while the deploy uses them", async () => {
    const serverRes = await api("/api/v1/servers", admin, {
      method: "POST",
      body: JSON.stringify({ name: "secrets-srv", host: sshd.host, port: sshd.port, username: sshd.username, privateKey: sshd.privateKey, hostKeyFingerprint: sshd.hostKeyFingerprint }),
    });
    expect(serverRes.status).toBe(201);
    const server = await json(serverRes);
    const port = await freePort();
    // Prints every value, one of them split across two output chunks, and the credential (from leak.txt).
    const build = ["cat leak.txt", `echo "api key: $API_KEY"`, `printf 'split: %s' "\${API_KEY%????????}"; sleep 0.4; printf '%s\\n' "\${API_KEY#"\${API_KEY%????????}"}"`, `echo "db password: $DB_PASSWORD" >&2`, `echo "short=$SHORT"`].join(
      "; ",
    );
    const created = await api("/api/v1/apps", admin, {
      method: "POST",
      body: JSON.stringify({
        name: "secrets-app",
        repoUrl: git.url("ci", TOKEN),
        deployPath,
        buildCommand: build,
        smokeCommand: `test -f server.js && echo "smoke sees $DB_PASSWORD"`,
        restartCommand: demoRestartCommand(deployPath),
        healthUrl: `http://127.0.0.1:${port}/health`,
        serverIds: [server.id],
        env: { PORT: String(port), API_KEY, DB_PASSWORD, SHORT },
      }),
    });
    const createdText = await created.text();
    expect(created.status, createdText).toBe(201);
    expectNoSecret("the create response", createdText);
    const app = JSON.parse(createdText) as { id: string; repoUrl: string; secrets: { name: string }[] };
    expect(app.repoUrl).toBe(git.url("ci", "***"));
    expect(app.secrets.map((s) => s.name).sort()).toEqual(["API_KEY", "DB_PASSWORD", "PORT", "SHORT"]);

    // at rest: the credential and the values only encrypted
    const row = await appDb().app.findUniqueOrThrow({ where: { id: app.id }, omit: { encryptedRepoCredential: false }, include: { secrets: { omit: { encryptedValue: false } } } });
    expectNoSecret("the app row", JSON.stringify(row));

    const started = await api(`/api/v1/apps/${app.id}/deploys`, admin, { method: "POST", body: JSON.stringify({ ref: "main" }) });
    expect(started.status).toBe(202);
    const deployId = String((await json(started)).id);
    const done = await waitForDeploy(deployId);
    expect(done.status, JSON.stringify(done)).toBe("succeeded");
    // the server fetched with the real credential, and the release holds the repository's file
    expect(git.seen).toContain(`ci:${TOKEN}`);
    expect(readFileSync(path.join(deployPath, "current", "leak.txt"), "utf8")).toContain("the token is");

    // the stored log: masked, split value included; values under 4 characters are not masked (documented)
    const log = await (await api(`/api/v1/deploys/${deployId}/log`, admin)).text();
    expectNoSecret("the deploy log", log);
    expect(log).toContain("the token is ***");
    expect(log).toContain("api key: ***");
    expect(log).toContain("split: ***");
    expect(log).toContain("db password: ***");
    expect(log).toContain("smoke sees ***");
    expect(log).toContain(`short=${SHORT}`);
    expect(log).toContain(`git fetch ${git.url("ci", "***")}`);

    // everything a viewer can read
    const pages = ["/", "/apps", `/apps/${app.id}`, `/apps/${app.id}/deploys/${deployId}`, "/servers", `/servers/${String(server.id)}`, "/monitors", "/audit"];
    const apis = [
      "/api/v1/apps",
      "/api/v1/servers",
      "/api/v1/monitors",
      `/api/v1/apps/${app.id}/deploys`,
      `/api/v1/apps/${app.id}/releases`,
      `/api/v1/deploys/${deployId}`,
      `/api/v1/deploys/${deployId}/log`,
      `/api/v1/deploys/${deployId}/stream`,
      "/api/v1/audit",
      "/api/v1/audit/export",
    ];
    for (const p of [...pages, ...apis]) {
      const res = await viewer.fetch(p);
      const text = await res.text();
      expect(res.status, `${p}: ${res.status}`).toBeLessThan(500);
      expectNoSecret(`${p} as a viewer`, text);
    }
    const appPage = await (await viewer.fetch(`/apps/${app.id}`)).text();
    expect(appPage).toContain("API_KEY");
    const stream = await (await viewer.fetch(`/api/v1/deploys/${deployId}/stream`)).text();
    expect(stream).toContain("api key: ***");
    // an admin's token reads every audit event and exports them: none holds a secret either
    for (const p of apis) expectNoSecret(`${p} as an admin`, await (await api(p, admin)).text());
    const exported = await (await api("/api/v1/audit/export", admin)).text();
    expect(exported).toContain("app.create");
    expectNoSecret(
      "the audit table",
      JSON.stringify(await appDb().auditEvent.findMany(), (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v)),
    );
    expectNoSecret("the deploy row", JSON.stringify(await appDb().deploy.findUniqueOrThrow({ where: { id: deployId }, include: { steps: true } })));

    // the server log of the web app and its worker
    const serverLog = readFileSync(appLogPath(), "utf8");
    expect(serverLog).toContain("api request");
    expectNoSecret("the server log", serverLog);
  }, 180_000);

  it("refuses a second app on an overlapping deploy path with 409 naming the first", async () => {
    const s = await json(await api("/api/v1/servers", admin, { method: "POST", body: JSON.stringify({ name: "paths-srv", host: "10.9.8.7", port: 22, username: "deploy", generateKey: true }) }));
    const first = await api("/api/v1/apps", admin, { method: "POST", body: JSON.stringify({ name: "paths-one", repoUrl: "/srv/one.git", deployPath: "/srv/paths/one", serverIds: [s.id] }) });
    expect(first.status).toBe(201);
    for (const deployPath of ["/srv/paths/one", "/srv/paths/one/nested", "/srv//paths"]) {
      const res = await api("/api/v1/apps", admin, { method: "POST", body: JSON.stringify({ name: `paths-${deployPath.length}`, repoUrl: "/srv/two.git", deployPath, serverIds: [s.id] }) });
      expect(res.status, deployPath).toBe(409);
      expect(((await json(res)).error as { message: string }).message).toContain('app "paths-one" (/srv/paths/one) on server paths-srv');
    }
    const sibling = await api("/api/v1/apps", admin, { method: "POST", body: JSON.stringify({ name: "paths-two", repoUrl: "/srv/two.git", deployPath: "/srv/paths/one-more", serverIds: [s.id] }) });
    expect(sibling.status).toBe(201);
  });
});
