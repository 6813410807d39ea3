import { execFileSync } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import webhookDefinitions from "@octokit/webhooks-examples";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "../../lib/auth/tokens";
import { api, baseUrl } from "../helpers/http";
import { appDb } from "../helpers/app-db";
import { startSshd, type TestSshd } from "../harness/sshd";
import { createTestRepo, demoAppInput, freePort, stopDemoApp, type TestRepo } from "../harness/git-app";

/**
 * Push to deploy (issue 15), over HTTP against the running app and worker, real sshd and real git: a real
 * GitHub push payload (from @octokit/webhooks-examples) rewritten to the test repository and signed here,
 * GitLab and Gitea headers, the generic HMAC form from a bare repository's post-receive hook, deploy hooks.
 */
let sshd: TestSshd;
let repo: TestRepo;
let admin: string;
let deployer: string;
let root: string;
let serverId: string;

beforeAll(async () => {
  sshd = await startSshd();
  repo = createTestRepo(2);
  root = mkdtempSync(path.join(os.tmpdir(), "deckhand-push-"));
  admin = (await createApiToken(appDb(), { name: "push-admin", role: "admin" })).token;
  deployer = (await createApiToken(appDb(), { name: "push-deployer", role: "deployer" })).token;
  const server = await json(
    await api("/api/v1/servers", admin, {
      method: "POST",
      body: JSON.stringify({ name: "push-srv", host: sshd.host, port: sshd.port, username: sshd.username, privateKey: sshd.privateKey, hostKeyFingerprint: sshd.hostKeyFingerprint }),
    }),
  );
  serverId = String(server.id);
});

afterAll(async () => {
  for (const name of ["gh", "bare", "hooks"]) stopDemoApp(path.join(root, name));
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

async function createApp(name: string, repoPath: string): Promise<{ id: string; port: number }> {
  const port = await freePort();
  const res = await api("/api/v1/apps", admin, { method: "POST", body: JSON.stringify(demoAppInput({ name: `push-${name}`, repoPath, deployPath: path.join(root, name), port, serverIds: [serverId] })) });
  const body = await json(res);
  expect(res.status, JSON.stringify(body)).toBe(201);
  return { id: String(body.id), port };
}

/** The path of a URL Deckhand answered, on the test app's own address (DECKHAND_PUBLIC_URL may name another). */
function local(url: string): string {
  return `${baseUrl()}${new URL(url).pathname}`;
}

/** A real GitHub push payload, pointed at this repository's ref and commit. */
function githubPush(ref: string, after: string): string {
  const push = webhookDefinitions.find((d) => d.name === "push")!;
  const example = structuredClone(push.examples.find((e) => (e as { ref: string }).ref.startsWith("refs/heads/"))!) as Record<string, unknown>;
  return JSON.stringify({ ...example, ref, after, before: repo.commits[0], deleted: false, head_commit: { ...(example.head_commit as object), id: after } });
}

const hmac = (secret: string, data: string) => createHmac("sha256", secret).update(data).digest("hex");

function post(url: string, body: string, headers: Record<string, string>): Promise<Response> {
  return fetch(local(url), { method: "POST", body, headers: { "content-type": "application/json", "user-agent": "GitHub-Hookshot/test", ...headers } });
}

function github(hook: { url: string; secret: string }, body: string, opts: { event?: string; delivery?: string; secret?: string } = {}) {
  return post(hook.url, body, {
    "x-github-event": opts.event ?? "push",
    "x-github-delivery": opts.delivery ?? randomUUID(),
    "x-hub-signature-256": `sha256=${hmac(opts.secret ?? hook.secret, body)}`,
  });
}

async function createWebhook(appId: string, input: Record<string, unknown>): Promise<{ url: string; secret: string }> {
  const res = await api(`/api/v1/apps/${appId}/webhook`, admin, { method: "POST", body: JSON.stringify(input) });
  const body = await json(res);
  expect(res.status, JSON.stringify(body)).toBe(201);
  return { url: String(body.url), secret: String(body.secret) };
}

describe("push to deploy: GitHub", () => {
  let app: { id: string; port: number };
  let hook: { url: string; secret: string };

  it("creates the webhook (admin only; branch xor tagPattern; production only); calling again rotates the secret", async () => {
    app = await createApp("gh", repo.path);
    const denied = await api(`/api/v1/apps/${app.id}/webhook`, deployer, { method: "POST", body: JSON.stringify({ branch: "main" }) });
    expect(denied.status).toBe(403);
    const both = await api(`/api/v1/apps/${app.id}/webhook`, admin, { method: "POST", body: JSON.stringify({ branch: "main", tagPattern: "v*" }) });
    expect(both.status).toBe(400);
    expect((await json(both)).error!.message).toMatch(/exactly one of branch and tagPattern/);
    const staging = await api(`/api/v1/apps/${app.id}/webhook`, admin, { method: "POST", body: JSON.stringify({ branch: "main", environment: "staging" }) });
    expect(staging.status).toBe(400);
    expect((await json(staging)).error!.message).toMatch(/^environment: /);

    const first = await createWebhook(app.id, { branch: "main" });
    expect(first.url).toMatch(new RegExp(`/api/hooks/apps/${app.id}/push$`));
    expect(first.secret).toMatch(/^[0-9a-f]{64}$/);
    hook = await createWebhook(app.id, { branch: "main", environment: "production" });
    expect(hook.secret).not.toBe(first.secret);
    const old = await github(first, githubPush("refs/heads/main", repo.commits[1]!));
    expect(old.status).toBe(401);
    const row = await appDb().appWebhook.findUniqueOrThrow({ where: { appId: app.id } });
    expect(row.encryptedSecret).not.toContain(hook.secret);
    expect(row).toMatchObject({ branch: "main", tagPattern: null, environment: "production", createdBy: "token push-admin" });
  });

  it("a signed push to the branch deploys that exact commit, attributed to webhook:github", async () => {
    const delivery = randomUUID();
    const body = githubPush("refs/heads/main", repo.commits[1]!);
    const res = await github(hook, body, { delivery });
    const answer = await json(res);
    expect(res.status, JSON.stringify(answer)).toBe(202);
    const done = await waitForDeploy(String(answer.deployId));
    expect(done).toMatchObject({ status: "succeeded", commit: repo.commits[1], ref: "main" });
    expect(readFileSync(path.join(root, "gh", "current", "REVISION"), "utf8").trim()).toBe(repo.commits[1]);
    const row = await appDb().deploy.findUniqueOrThrow({ where: { id: String(answer.deployId) }, select: { actorLabel: true, userId: true, tokenId: true } });
    expect(row).toEqual({ actorLabel: "webhook:github", userId: null, tokenId: null });
    const event = await appDb().auditEvent.findFirstOrThrow({ where: { action: "deploy.start", targetId: String(answer.deployId) } });
    expect(event).toMatchObject({ actorType: "system", actorLabel: "webhook:github", outcome: "success" });
    expect(event.summary).toMatchObject({ commit: repo.commits[1], deliveryId: delivery, provider: "github" });

    // The same delivery again is a replay: refused, nothing queued.
    const replay = await github(hook, body, { delivery });
    expect(replay.status).toBe(409);
    expect((await json(replay)).error!.message).toMatch(/received before/);
  });

  it("a bad signature is 401, a ping or another branch is ignored, a commit that is not the head is ignored", async () => {
    const before = await appDb().deploy.count({ where: { appId: app.id } });
    const bad = await github(hook, githubPush("refs/heads/main", repo.commits[1]!), { secret: "not-the-secret" });
    expect(bad.status).toBe(401);
    expect((await json(bad)).error!.message).toMatch(/X-Hub-Signature-256 does not match/);
    const unsigned = await post(hook.url, "{}", { "x-github-event": "push", "x-github-delivery": randomUUID() });
    expect(unsigned.status).toBe(401);

    const ping = await github(hook, JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1 }), { event: "ping" });
    expect(ping.status).toBe(202);
    expect(await json(ping)).toEqual({ ignored: expect.stringMatching(/"ping" events deploy nothing/) });

    const other = await github(hook, githubPush("refs/heads/feature", repo.commits[1]!));
    expect(other.status).toBe(202);
    expect(await json(other)).toEqual({ ignored: "refs/heads/feature is not the deployed branch (main)" });

    const stale = await github(hook, githubPush("refs/heads/main", repo.commits[0]!));
    expect(stale.status).toBe(202);
    expect(String((await json(stale)).ignored)).toMatch(new RegExp(`^${repo.commits[0]!.slice(0, 12)} is not the head of refs/heads/main \\(it is ${repo.commits[1]!.slice(0, 12)} now\\)`));
    expect(await appDb().deploy.count({ where: { appId: app.id } })).toBe(before);
  });

  it("a newer push supersedes a deploy an earlier push queued that has not started", async () => {
    const sha = repo.commit("v3", { VERSION: "v3\n" });
    // A pushed deploy still queued (no job sent, so no worker takes it in the meantime).
    const queuedId = randomUUID();
    await appDb().deploy.create({ data: { id: queuedId, appId: app.id, kind: "deploy", status: "queued", ref: "main", commit: repo.commits[1], actorLabel: "webhook:github" } });
    await appDb().webhookDelivery.create({ data: { appId: app.id, provider: "github", deliveryId: randomUUID(), outcome: "deployed", deployId: queuedId } });
    const res = await github(hook, githubPush("refs/heads/main", sha));
    const answer = await json(res);
    expect(res.status, JSON.stringify(answer)).toBe(202);
    const superseded = await appDb().deploy.findUniqueOrThrow({ where: { id: queuedId } });
    expect(superseded).toMatchObject({ status: "cancelled", error: `superseded by a newer push: ${sha.slice(0, 12)} to refs/heads/main` });
    expect(await waitForDeploy(String(answer.deployId))).toMatchObject({ status: "succeeded", commit: sha });
  });

  it("GitLab (X-Gitlab-Token) and Gitea (X-Gitea-Signature) deliveries are verified the same way", async () => {
    const gitlabBody = JSON.stringify({ object_kind: "push", ref: "refs/heads/dev", after: repo.commits[1], checkout_sha: repo.commits[1] });
    const gitlab = (token: string) => post(hook.url, gitlabBody, { "x-gitlab-event": "Push Hook", "x-gitlab-token": token, "x-gitlab-event-uuid": randomUUID() });
    expect((await gitlab("wrong")).status).toBe(401);
    const ok = await gitlab(hook.secret);
    expect(ok.status).toBe(202);
    expect(await json(ok)).toEqual({ ignored: "refs/heads/dev is not the deployed branch (main)" });
    const noId = await post(hook.url, gitlabBody, { "x-gitlab-event": "Push Hook", "x-gitlab-token": hook.secret });
    expect(noId.status).toBe(400);
    expect((await json(noId)).error!.message).toMatch(/^x-gitlab-event-uuid: a delivery id is required/);

    const head = repo.commits.at(-1)!;
    const giteaBody = JSON.stringify({ ref: "refs/heads/main", before: repo.commits[1], after: head });
    const gitea = (signature: string) => post(hook.url, giteaBody, { "x-gitea-event": "push", "x-gitea-delivery": randomUUID(), "x-gitea-signature": signature, "x-hub-signature-256": `sha256=${signature}` });
    expect((await gitea(hmac("wrong", giteaBody))).status).toBe(401);
    const deployed = await gitea(hmac(hook.secret, giteaBody));
    const answer = await json(deployed);
    expect(deployed.status, JSON.stringify(answer)).toBe(202);
    expect(await waitForDeploy(String(answer.deployId))).toMatchObject({ status: "succeeded", commit: head });
    expect((await appDb().deploy.findUniqueOrThrow({ where: { id: String(answer.deployId) } })).actorLabel).toBe("webhook:gitea");
  });

  it("GitHub's form-encoded content type (payload=…) is the same delivery, signed over the body as sent", async () => {
    const head = repo.commits.at(-1)!;
    const form = (body: string, secret = hook.secret) =>
      post(hook.url, body, { "content-type": "application/x-www-form-urlencoded", "x-github-event": "push", "x-github-delivery": randomUUID(), "x-hub-signature-256": `sha256=${hmac(secret, body)}` });
    const body = new URLSearchParams({ payload: githubPush("refs/heads/main", head) }).toString();
    expect((await form(body, "not-the-secret")).status).toBe(401);
    const res = await form(body);
    const answer = await json(res);
    expect(res.status, JSON.stringify(answer)).toBe(202);
    expect(await waitForDeploy(String(answer.deployId))).toMatchObject({ status: "succeeded", commit: head, ref: "main" });

    const none = await form("zen=hello");
    expect(none.status).toBe(400);
    expect((await json(none)).error!.message).toMatch(/payload: a form-encoded delivery carries its JSON in the payload field/);
    const notJson = await form("payload=%7Bnope");
    expect(notJson.status).toBe(400);
    expect((await json(notJson)).error!.message).toMatch(/payload: the form's payload field is not JSON/);
  });
});

/** The generic form, as a post-receive hook sends it with curl and openssl (README, Push to deploy). */
function postReceiveHook(url: string, secret: string): string {
  return `#!/bin/sh
while read old new ref; do
  body=$(printf '{"ref":"%s","before":"%s","after":"%s"}' "$ref" "$old" "$new")
  ts=$(date +%s)
  sig=$(printf '%s' "$ts.$body" | openssl dgst -sha256 -hmac '${secret}' | sed 's/^.* //')
  curl -sS -o "$GIT_DIR/last-delivery.json" -w '%{http_code}' -X POST '${url}' \\
    -H 'Content-Type: application/json' -H "X-Deckhand-Timestamp: $ts" -H "X-Deckhand-Signature: sha256=$sig" \\
    -H "X-Deckhand-Delivery: $new-$ts" --data-binary "$body" > "$GIT_DIR/last-status"
done
`;
}

describe("push to deploy: a real git server", () => {
  it("a bare repository's post-receive hook calls the generic webhook after git push, and that commit deploys", async () => {
    const bare = path.join(root, "origin.git");
    const work = path.join(root, "work");
    execFileSync("git", ["clone", "-q", "--bare", repo.path, bare]);
    const app = await createApp("bare", bare);
    const hook = await createWebhook(app.id, { branch: "main" });
    const hookFile = path.join(bare, "hooks", "post-receive");
    writeFileSync(hookFile, postReceiveHook(local(hook.url), hook.secret));
    chmodSync(hookFile, 0o755);

    const env = { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.test", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.test" };
    execFileSync("git", ["clone", "-q", bare, work], { env });
    writeFileSync(path.join(work, "VERSION"), "pushed\n");
    execFileSync("git", ["commit", "-qam", "pushed from a clone"], { cwd: work, env });
    const sha = execFileSync("git", ["rev-parse", "HEAD"], { cwd: work, encoding: "utf8" }).trim();
    execFileSync("git", ["push", "-q", "origin", "main"], { cwd: work, env });

    expect(readFileSync(path.join(bare, "last-status"), "utf8")).toBe("202");
    const answer = JSON.parse(readFileSync(path.join(bare, "last-delivery.json"), "utf8")) as { deployId: string };
    expect(await waitForDeploy(answer.deployId)).toMatchObject({ status: "succeeded", commit: sha, ref: "main" });
    expect(readFileSync(path.join(root, "bare", "current", "REVISION"), "utf8").trim()).toBe(sha);
    expect((await appDb().deploy.findUniqueOrThrow({ where: { id: answer.deployId } })).actorLabel).toBe("webhook:generic");

    // A stale timestamp is refused even with a good signature.
    const body = JSON.stringify({ ref: "refs/heads/main", after: sha });
    const ts = Math.floor(Date.now() / 1000) - 600;
    const stale = await post(hook.url, body, { "x-deckhand-timestamp": String(ts), "x-deckhand-signature": `sha256=${hmac(hook.secret, `${ts}.${body}`)}`, "x-deckhand-delivery": randomUUID() });
    expect(stale.status).toBe(401);
    expect((await json(stale)).error!.message).toMatch(/more than 5 minutes/);
  });

  it("an annotated tag pushed to a tag-pattern webhook deploys the commit the tag points at", async () => {
    const bare = path.join(root, "tags.git");
    const work = path.join(root, "tags-work");
    execFileSync("git", ["clone", "-q", "--bare", repo.path, bare]);
    const app = await createApp("tags", bare);
    const hook = await createWebhook(app.id, { tagPattern: "v*" });
    const hookFile = path.join(bare, "hooks", "post-receive");
    writeFileSync(hookFile, postReceiveHook(local(hook.url), hook.secret));
    chmodSync(hookFile, 0o755);

    const env = { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.test", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.test" };
    execFileSync("git", ["clone", "-q", bare, work], { env });
    writeFileSync(path.join(work, "VERSION"), "tagged\n");
    execFileSync("git", ["commit", "-qam", "release 9"], { cwd: work, env });
    execFileSync("git", ["tag", "-a", "v9.0", "-m", "release 9"], { cwd: work, env });
    const commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: work, encoding: "utf8" }).trim();
    const tagObject = execFileSync("git", ["rev-parse", "v9.0"], { cwd: work, encoding: "utf8" }).trim();
    expect(tagObject).not.toBe(commit);
    // Only the tag: the post-receive hook (and so the delivery) names refs/tags/v9.0 and the tag object, not the commit.
    execFileSync("git", ["push", "-q", "origin", "v9.0"], { cwd: work, env });

    expect(readFileSync(path.join(bare, "last-status"), "utf8")).toBe("202");
    const answer = JSON.parse(readFileSync(path.join(bare, "last-delivery.json"), "utf8")) as { deployId: string };
    const done = await waitForDeploy(answer.deployId);
    expect(done, String(done.error)).toMatchObject({ status: "succeeded", commit, ref: "v9.0" });
    expect(readFileSync(path.join(root, "tags", "current", "REVISION"), "utf8").trim()).toBe(commit);
    const delivery = await appDb().webhookDelivery.findFirstOrThrow({ where: { appId: app.id, deployId: answer.deployId } });
    expect(delivery).toMatchObject({ outcome: "deployed", ref: "refs/tags/v9.0", commit });
  });
});

describe("deploy hooks", () => {
  it("a POST to the hook's URL (curl) deploys its ref; an unknown token is 404; a removed hook stops working", async () => {
    const app = await createApp("hooks", repo.path);
    const res = await api(`/api/v1/apps/${app.id}/deploy-hooks`, admin, { method: "POST", body: JSON.stringify({ name: "ci", ref: "main" }) });
    const created = await json(res);
    expect(res.status, JSON.stringify(created)).toBe(201);
    expect(created).toMatchObject({ name: "ci", ref: "main", environment: "production", url: expect.stringMatching(/\/api\/hooks\/deploy\/dhk_[\w-]+$/) });
    const token = String(created.url).split("/").at(-1)!;
    expect(await appDb().deployHook.count({ where: { tokenHash: token } })).toBe(0);

    const out = execFileSync("curl", ["-sS", "-X", "POST", "-w", "\n%{http_code}", local(String(created.url))], { encoding: "utf8" });
    const [bodyText, status] = out.split("\n");
    expect(status).toBe("202");
    const { deployId } = JSON.parse(bodyText!) as { deployId: string };
    expect(await waitForDeploy(deployId)).toMatchObject({ status: "succeeded", commit: repo.commits.at(-1), ref: "main" });
    expect((await appDb().deploy.findUniqueOrThrow({ where: { id: deployId } })).actorLabel).toBe("deploy-hook:ci");

    const unknown = await fetch(`${baseUrl()}/api/hooks/deploy/dhk_${"x".repeat(43)}`, { method: "POST" });
    expect(unknown.status).toBe(404);
    const removed = await api(`/api/v1/apps/${app.id}/deploy-hooks/${String(created.id)}`, admin, { method: "DELETE" });
    expect(removed.status).toBe(204);
    expect((await fetch(local(String(created.url)), { method: "POST" })).status).toBe(404);
  });
});
