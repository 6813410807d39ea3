import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import type { Principal } from "../auth/roles";
import { startSshd, type TestSshd } from "../../test/harness/sshd";
import { createTestRepo, demoRestartCommand, freePort, stopDemoApp, type TestRepo } from "../../test/harness/git-app";
import { createApp } from "../apps/apps";
import { requestCancel } from "./lifecycle";
import { createDeployRequest, createRollbackRequest } from "./requests";
import { runDeploy } from "./runner";
import { createServer } from "../servers/servers";

/**
 * The release pipeline end to end: a real git repository of a small HTTP app, deployed over real SSH
 * (OpenSSH on loopback) into a temp deploy path, checked on disk and over HTTP.
 */
const alice: Principal = { kind: "user", id: "u-alice", email: "alice@example.test", name: null, role: "deployer" };

let sshd: TestSshd;
let repo: TestRepo;
const roots: string[] = [];
const deployPaths: string[] = [];

beforeAll(async () => {
  sshd = await startSshd();
  repo = createTestRepo(4);
  await db().user.create({ data: { id: "u-alice", email: "alice@example.test", passwordHash: "x", role: "deployer" } });
});

afterAll(async () => {
  deployPaths.forEach(stopDemoApp);
  await sshd?.stop();
  repo?.cleanup();
  roots.forEach((r) => rmSync(r, { recursive: true, force: true }));
});

/** A deploy's whole stored log, in order. */
async function logOf(deployId: string): Promise<string> {
  return (await db().deployLog.findMany({ where: { deployId }, orderBy: { id: "asc" } })).map((l) => l.text).join("");
}

async function setup(opts: { keep?: number; build?: string; smoke?: string; healthUrl?: boolean; install?: string; restart?: string; healthRetries?: number; healthRetryDelayMs?: number } = {}) {
  const root = mkdtempSync(path.join(os.tmpdir(), "deckhand-deploy-"));
  roots.push(root);
  const deployPath = path.join(root, "app");
  deployPaths.push(deployPath);
  const port = await freePort();
  const { server } = await createServer(db(), {
    name: `srv-${path.basename(root)}`,
    host: sshd.host,
    port: sshd.port,
    username: sshd.username,
    privateKey: sshd.privateKey,
    hostKeyFingerprint: sshd.hostKeyFingerprint,
  });
  const app = await createApp(db(), {
    name: `app-${path.basename(root)}`,
    repoUrl: repo.path,
    deployPath,
    keepReleases: opts.keep ?? 3,
    installCommand: opts.install ?? "test -f package.json && echo installing",
    buildCommand: opts.build ?? "echo built > BUILT",
    smokeCommand: opts.smoke ?? "node -e \"require('node:fs').accessSync('server.js')\"",
    restartCommand: opts.restart ?? demoRestartCommand(deployPath),
    healthUrl: opts.healthUrl === false ? undefined : `http://127.0.0.1:${port}/health`,
    serverIds: [server.id],
    strategy: "parallel",
    batchSize: 1,
    env: { PORT: String(port), GREETING: "it's $(not) `run`; ok" },
    healthRetries: opts.healthRetries,
    healthRetryDelayMs: opts.healthRetryDelayMs,
  });
  return { app, server, deployPath, port };
}

async function deploy(appId: string, ref: string) {
  const d = await createDeployRequest(db(), appId, ref, alice);
  await runDeploy(d.id);
  const row = await db().deploy.findUniqueOrThrow({ where: { id: d.id }, include: { release: true, steps: true } });
  if (row.status !== "succeeded" && process.env.DEBUG_DEPLOY) process.stderr.write(`deploy ${ref} ${row.status}: ${row.error}\n`);
  return row;
}

async function rollback(appId: string, releaseId?: string) {
  const d = await createRollbackRequest(db(), appId, releaseId, alice);
  await runDeploy(d.id);
  return db().deploy.findUniqueOrThrow({ where: { id: d.id }, include: { release: true } });
}

function currentDir(deployPath: string): string {
  return readlinkSync(path.join(deployPath, "current")).replace(/^releases\//, "");
}

function revisionOfCurrent(deployPath: string): string {
  return readFileSync(path.join(deployPath, "current", "REVISION"), "utf8").trim();
}

function releasesOnDisk(deployPath: string): string[] {
  return readdirSync(path.join(deployPath, "releases")).sort();
}

async function httpGet(port: number, p = "/"): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${p}`);
  return { status: res.status, body: await res.text() };
}

describe("deploy pipeline over real SSH", () => {
  it("deploys, redeploys, rolls back and cleans up old releases", async () => {
    const { app, deployPath, port } = await setup({ keep: 2 });

    const first = await deploy(app.id, "v1.0");
    expect(first.error).toBeNull();
    expect(first.status).toBe("succeeded");
    expect(first.commit).toBe(repo.commits[0]);
    expect(revisionOfCurrent(deployPath)).toBe(repo.commits[0]);
    expect(currentDir(deployPath)).toBe(first.release!.dir);
    expect(first.release!.dir).toMatch(new RegExp(`^\\d{14}-${repo.commits[0]!.slice(0, 7)}$`));
    expect((await httpGet(port)).body).toBe(repo.commits[0]);
    expect((await httpGet(port, "/health")).status).toBe(200);
    // shared/.env is written with mode 0600 and the value is stored literally, not executed
    const envFile = path.join(deployPath, "shared", ".env");
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(envFile, "utf8")).toContain("GREETING='it'\\''s $(not) `run`; ok'");
    expect(readFileSync(path.join(deployPath, "current", "BUILT"), "utf8")).toBe("built\n");

    const second = await deploy(app.id, "main");
    expect(second.status).toBe("succeeded");
    expect(second.commit).toBe(repo.commits[3]);
    expect(revisionOfCurrent(deployPath)).toBe(repo.commits[3]);
    expect((await httpGet(port)).body).toBe(repo.commits[3]);

    const third = await deploy(app.id, repo.commits[1]!);
    expect(third.status).toBe("succeeded");
    // keep 2: the two newest successful releases stay; the first is removed from disk and marked
    expect(releasesOnDisk(deployPath)).toEqual([second.release!.dir, third.release!.dir].sort());
    expect((await db().release.findUniqueOrThrow({ where: { id: first.release!.id } })).status).toBe("removed");

    // rollback with no release given goes to the previous one
    const back = await rollback(app.id);
    expect(back.status).toBe("succeeded");
    expect(back.kind).toBe("rollback");
    expect(currentDir(deployPath)).toBe(second.release!.dir);
    expect((await httpGet(port)).body).toBe(repo.commits[3]);

    // roll forward again to an explicit retained release
    const forward = await rollback(app.id, third.release!.id);
    expect(forward.status).toBe("succeeded");
    expect(revisionOfCurrent(deployPath)).toBe(repo.commits[1]);

    // a release that cleanup removed cannot be rolled back to
    await expect(createRollbackRequest(db(), app.id, first.release!.id, alice)).rejects.toThrow(/removed/);

    // the whole log is stored, and the pipeline went through every step of the checklist
    const logText = await logOf(third.id);
    for (const stepName of ["prepare", "fetch", "install", "build", "smoke", "switch", "restart", "health", "cleanup"]) expect(logText).toContain(`▶ ${stepName}`);
    expect(logText).toContain("installing");
    expect(logText).not.toContain(sshd.privateKey.split("\n")[1]!);
  });

  it("rolls back automatically when the health check fails after the switch", async () => {
    const { app, deployPath, port } = await setup();
    const good = await deploy(app.id, repo.commits[0]!);
    expect(good.status).toBe("succeeded");
    const broken = repo.commit("broken release", { BROKEN: "yes" });

    const bad = await deploy(app.id, broken);
    expect(bad.status).toBe("failed");
    expect(bad.autoRolledBack).toBe(true);
    expect(bad.error).toMatch(/health check failed/);
    expect(bad.release!.status).toBe("failed");
    expect(currentDir(deployPath)).toBe(good.release!.dir);
    // the old release was restarted: it answers again
    await expect.poll(async () => (await httpGet(port, "/health").catch(() => ({ status: 0 }))).status, { timeout: 10_000 }).toBe(200);
    expect((await httpGet(port)).body).toBe(repo.commits[0]);
    const steps = await db().deployStep.findMany({ where: { deployId: bad.id }, orderBy: { position: "asc" } });
    expect(steps.find((s) => s.name === "health")!.status).toBe("failed");
    expect(steps.find((s) => s.name === "revert")!.status).toBe("succeeded");
    // the release it went back to was asked again, and answered
    const log = await logOf(bad.id);
    expect(log).toMatch(/the previous release is healthy again: .* answered/);
    repo.commit("fixed", {}, ["BROKEN"]);
  });

  it("after an automatic rollback, a previous release that is unhealthy too is said so in the log", async () => {
    const { app, deployPath } = await setup({ healthRetries: 2, healthRetryDelayMs: 50 });
    const good = await deploy(app.id, repo.commits[0]!);
    expect(good.status).toBe("succeeded");
    // What broke the new release breaks the old one too (the demo app answers 503 while shared/unhealthy exists).
    writeFileSync(path.join(deployPath, "shared", "unhealthy"), "");
    const bad = await deploy(app.id, repo.commits[1]!);
    expect(bad.status).toBe("failed");
    expect(bad.autoRolledBack).toBe(true);
    expect(currentDir(deployPath)).toBe(good.release!.dir);
    const log = await logOf(bad.id);
    expect(log).toMatch(/the previous release is NOT healthy either after the rollback .*2 attempts\); the app needs attention/);
    expect(log).not.toContain("the previous release is healthy again");
  });

  it("the health step uses the app's own attempts and delay instead of the global ones", async () => {
    // Globally (vitest.config.ts) 4 attempts, 300 ms apart; this app asks for 2, 50 ms apart.
    const { app, deployPath } = await setup({ healthRetries: 2, healthRetryDelayMs: 50 });
    mkdirSync(path.join(deployPath, "shared"), { recursive: true });
    writeFileSync(path.join(deployPath, "shared", "unhealthy"), "");
    const bad = await deploy(app.id, repo.commits[0]!);
    expect(bad.status).toBe("failed");
    expect(bad.error).toMatch(/health check failed on .* after 2 attempts/);
    const log = await logOf(bad.id);
    expect(log).toContain("attempt 2/2");
    expect(log).not.toContain("attempt 3/");
  });

  it("a first deploy whose health check fails leaves no current behind, and the next good deploy goes live", async () => {
    const { app, deployPath, port } = await setup();
    mkdirSync(path.join(deployPath, "shared"), { recursive: true });
    writeFileSync(path.join(deployPath, "shared", "unhealthy"), "");

    const bad = await deploy(app.id, repo.commits[0]!);
    expect(bad.status).toBe("failed");
    expect(bad.error).toMatch(/health check failed/);
    expect(bad.release!.status).toBe("failed");
    // nothing to roll back to: current is gone rather than pointing at the failed release
    expect(bad.autoRolledBack).toBe(false);
    expect(existsSync(path.join(deployPath, "current"))).toBe(false);
    expect(() => readlinkSync(path.join(deployPath, "current"))).toThrow();
    const steps = await db().deployStep.findMany({ where: { deployId: bad.id }, orderBy: { position: "asc" } });
    expect(steps.find((s) => s.name === "health")!.status).toBe("failed");
    expect(steps.find((s) => s.name === "revert")!.status).toBe("succeeded");
    const log = await logOf(bad.id);
    expect(log).toContain("removed current on 1 target(s) that had no previous release");

    rmSync(path.join(deployPath, "shared", "unhealthy"));
    const good = await deploy(app.id, repo.commits[1]!);
    expect(good.status).toBe("succeeded");
    expect(currentDir(deployPath)).toBe(good.release!.dir);
    await expect.poll(async () => (await httpGet(port).catch(() => ({ body: "" }))).body, { timeout: 10_000 }).toBe(repo.commits[1]);
  });

  it("leaves current untouched and removes the half-built release when the build fails", async () => {
    const { app, deployPath } = await setup({ build: "echo compiling; echo 'error: it broke' >&2; exit 3" });
    const d = await deploy(app.id, repo.commits[0]!);
    expect(d.status).toBe("failed");
    expect(d.error).toMatch(/build on .*exited with 3.*it broke/);
    expect(existsSync(path.join(deployPath, "current"))).toBe(false);
    expect(releasesOnDisk(deployPath)).toEqual([]);
    const log = (await db().deployLog.findMany({ where: { deployId: d.id }, orderBy: { id: "asc" } })).map((l) => `${l.stream}:${l.text}`).join("");
    expect(log).toContain("stdout:compiling");
    expect(log).toContain("stderr:error: it broke");
  });

  it("deploys after an interrupted fetch left the fetch cache locked", async () => {
    const { app, deployPath } = await setup({ healthUrl: false });
    expect((await deploy(app.id, repo.commits[0]!)).status).toBe("succeeded");
    // What a git fetch killed mid-way (worker SIGKILLed, deploy cancelled) leaves behind.
    writeFileSync(path.join(deployPath, "shared", ".deckhand-repo.git", "shallow.lock"), "");
    const d = await deploy(app.id, repo.commits[1]!);
    expect(d.status).toBe("succeeded");
    const log = await logOf(d.id);
    expect(log).toContain("rebuilding the fetch cache");
  });

  it("refuses an unknown ref with a clear message", async () => {
    const { app } = await setup();
    const d = await deploy(app.id, "no-such-branch");
    expect(d.status).toBe("failed");
    expect(d.error).toMatch(/"no-such-branch" is not a branch or tag/);
  });

  it("keeps a one-at-a-time lock per app", async () => {
    const { app } = await setup();
    const first = await createDeployRequest(db(), app.id, "main", alice);
    await expect(createDeployRequest(db(), app.id, "main", alice)).rejects.toMatchObject({ status: 409, message: expect.stringContaining("alice@example.test") });
    await requestCancel(db(), first.id);
    expect((await db().deploy.findUniqueOrThrow({ where: { id: first.id } })).status).toBe("cancelled");
    // the lock ended with the deploy
    const next = await createDeployRequest(db(), app.id, repo.commits[0]!, alice);
    await runDeploy(next.id);
    expect((await db().deploy.findUniqueOrThrow({ where: { id: next.id } })).status).toBe("succeeded");
  });

  it("cancels a running deploy: the remote command stops and current is untouched", async () => {
    const { app, deployPath } = await setup({ build: "echo start; sleep 30; echo never" });
    const d = await createDeployRequest(db(), app.id, repo.commits[0]!, alice);
    const run = runDeploy(d.id);
    await expect.poll(async () => (await db().deployStep.findFirst({ where: { deployId: d.id, name: "build" } }))?.status, { timeout: 20_000 }).toBe("running");
    const started = Date.now();
    await requestCancel(db(), d.id);
    await run;
    expect(Date.now() - started).toBeLessThan(8_000);
    const after = await db().deploy.findUniqueOrThrow({ where: { id: d.id } });
    expect(after.status).toBe("cancelled");
    expect(existsSync(path.join(deployPath, "current"))).toBe(false);
  });

  it("caps the stored log with a clear truncation marker", async () => {
    const { app } = await setup({ build: "head -c 3000000 /dev/zero | tr '\\0' 'x'; echo" });
    const d = await deploy(app.id, repo.commits[0]!);
    expect(d.status).toBe("succeeded");
    expect(d.logTruncated).toBe(true);
    const text = await logOf(d.id);
    expect(text).toMatch(/log truncated at [\d.]+ MiB/);
    expect(Buffer.byteLength(text)).toBeLessThan(1.2 * 1024 * 1024);
  }, 120_000);

  it("refuses a changed host key before authenticating and marks the server", async () => {
    const other = await startSshd();
    try {
      const root = mkdtempSync(path.join(os.tmpdir(), "deckhand-hk-"));
      roots.push(root);
      const { server } = await createServer(db(), { name: "rotating", host: other.host, port: other.port, username: other.username, privateKey: other.privateKey, hostKeyFingerprint: other.hostKeyFingerprint });
      const app = await createApp(db(), {
        name: "hk-app",
        repoUrl: repo.path,
        deployPath: path.join(root, "app"),
        keepReleases: 3,
        installCommand: "",
        buildCommand: "",
        smokeCommand: "",
        restartCommand: "",
        serverIds: [server.id],
        strategy: "parallel",
        batchSize: 1,
      });
      const presented = await other.rotateHostKey();
      const d = await deploy(app.id, repo.commits[0]!);
      expect(d.status).toBe("failed");
      expect(d.error).toMatch(/host key of rotating CHANGED/);
      expect(d.error).toContain(presented);
      const marked = await db().server.findUniqueOrThrow({ where: { id: server.id } });
      expect(marked.hostKeyStatus).toBe("mismatch");
      expect(marked.hostKeyPresented).toBe(presented);
      expect(other.log()).not.toMatch(/Accepted publickey|Failed publickey|Postponed publickey/);
      expect(existsSync(path.join(root, "app"))).toBe(false);
    } finally {
      await other.stop();
    }
  });

  it("refuses an unpinned server and fails cleanly on an unreachable one", async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "deckhand-unreach-"));
    roots.push(root);
    const deadPort = await freePort();
    const { server: unpinned } = await createServer(db(), { name: "unpinned", host: sshd.host, port: sshd.port, username: sshd.username, privateKey: sshd.privateKey });
    const { server: dead } = await createServer(db(), { name: "dead", host: "127.0.0.1", port: deadPort, username: "root", privateKey: sshd.privateKey, hostKeyFingerprint: sshd.hostKeyFingerprint });
    for (const [server, pattern] of [
      [unpinned, /no pinned host key/],
      [dead, /cannot reach|refused/i],
    ] as const) {
      const app = await createApp(db(), {
        name: `u-${server.name}`,
        repoUrl: repo.path,
        deployPath: path.join(root, server.name),
        keepReleases: 3,
        installCommand: "",
        buildCommand: "",
        smokeCommand: "",
        restartCommand: "",
        serverIds: [server.id],
        strategy: "parallel",
        batchSize: 1,
      });
      const started = Date.now();
      const d = await deploy(app.id, repo.commits[0]!);
      expect(d.status).toBe("failed");
      expect(d.error).toMatch(pattern);
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(existsSync(path.join(root, server.name))).toBe(false);
    }
  });

  it("writes a hostile env value and hostile commit message without executing anything", async () => {
    const marker = path.join(os.tmpdir(), `deckhand-marker-${Date.now()}`);
    const hostile = repo.commit(`$(touch ${marker}) \`touch ${marker}\`; touch ${marker}`, { "notes.txt": "x" });
    const { app, deployPath, port } = await setup();
    const { updateApp } = await import("../apps/apps");
    await updateApp(db(), app.id, { env: { PORT: String(port), EVIL: `$(touch ${marker})\`touch ${marker}\`'; touch ${marker}; '` } });
    const d = await deploy(app.id, hostile);
    expect(d.status).toBe("succeeded");
    expect(existsSync(marker)).toBe(false);
    expect(readFileSync(path.join(deployPath, "shared", ".env"), "utf8")).toContain("EVIL=");
  });
});

describe("a restart that leaves a process holding the channel open", () => {
  it("`nohup sleep 60 &` without redirection: the step ends within seconds, the log says what holds it and how to fix it", async () => {
    const { app } = await setup({ healthUrl: false, restart: "nohup sleep 60.0401 &" });
    const started = Date.now();
    const d = await deploy(app.id, repo.commits[0]!);
    expect(d.status).toBe("succeeded");
    expect(Date.now() - started).toBeLessThan(10_000 + 8_000);
    const restart = d.steps.find((s) => s.name === "restart")!;
    expect(restart.status).toBe("succeeded");
    expect(restart.finishedAt!.getTime() - restart.startedAt!.getTime()).toBeLessThan(10_000);
    const log = (await db().deployLog.findMany({ where: { deployId: d.id, stepId: restart.id }, orderBy: { id: "asc" } })).map((l) => l.text).join("");
    const held = /`sleep 60\.0401` \(pid (\d+)\) still holds its stdout and stderr/.exec(log);
    expect(held, log).not.toBeNull();
    expect(log).toContain("nohup app > app.log 2>&1 < /dev/null &");
    process.kill(Number(held![1]), "SIGKILL");
  });
});

describe("rollback checks", () => {
  it("refuses to switch when the release is missing on a target", async () => {
    const { app, deployPath } = await setup();
    const a = await deploy(app.id, repo.commits[0]!);
    const b = await deploy(app.id, repo.commits[1]!);
    rmSync(path.join(deployPath, "releases", a.release!.dir), { recursive: true });
    const r = await rollback(app.id, a.release!.id);
    expect(r.status).toBe("failed");
    expect(r.error).toMatch(/no longer on/);
    expect(currentDir(deployPath)).toBe(b.release!.dir);
  });
});
