import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export { freePort } from "./ports";

/**
 * A real git repository holding a tiny HTTP app: GET /health answers 200 unless `<deploy>/shared/unhealthy`
 * exists (or the release was committed as broken), GET / answers the release's commit (REVISION). A release
 * committed with a FLAKY file holding N answers 500 to every Nth request, whatever its path (the release verdict's test).
 */
const SERVER_JS = `
const http = require("node:http");
const fs = require("node:fs");
const path = require("node:path");
const here = __dirname;
const revision = fs.existsSync(path.join(here, "REVISION")) ? fs.readFileSync(path.join(here, "REVISION"), "utf8").trim() : "unknown";
const broken = fs.existsSync(path.join(here, "BROKEN"));
const flakyEvery = fs.existsSync(path.join(here, "FLAKY")) ? Number(fs.readFileSync(path.join(here, "FLAKY"), "utf8")) : 0;
let served = 0;
http.createServer((req, res) => {
  if (flakyEvery && ++served % flakyEvery === 0) {
    res.writeHead(500, { "content-type": "text/plain" });
    res.end("flaky");
    return;
  }
  if (req.url === "/health") {
    const bad = broken || fs.existsSync(path.join(here, "shared", "unhealthy"));
    res.writeHead(bad ? 503 : 200, { "content-type": "text/plain" });
    res.end(bad ? "unhealthy" : "ok");
    return;
  }
  res.end(revision);
}).listen(Number(process.env.PORT), "127.0.0.1");
`;

export interface TestRepo {
  path: string;
  /** Commits in order: v1, v2, … */
  commits: string[];
  commit(message: string, files?: Record<string, string>, remove?: string[]): string;
  cleanup(): void;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.test", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.test" } }).trim();
}

export function createTestRepo(versions = 3): TestRepo {
  const dir = mkdtempSync(path.join(os.tmpdir(), "deckhand-repo-"));
  git(dir, "init", "-q", "-b", "main");
  const repo: TestRepo = {
    path: dir,
    commits: [],
    commit(message, files = {}, remove = []) {
      for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
      for (const name of remove) rmSync(path.join(dir, name), { force: true });
      git(dir, "add", "-A");
      git(dir, "commit", "-q", "--allow-empty", "-m", message);
      const sha = git(dir, "rev-parse", "HEAD");
      repo.commits.push(sha);
      return sha;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
  for (let v = 1; v <= versions; v++) repo.commit(`v${v}`, { "server.js": SERVER_JS, VERSION: `v${v}\n`, "package.json": JSON.stringify({ name: "demo", version: `${v}.0.0` }) });
  git(dir, "tag", "v1.0", repo.commits[0]!);
  return repo;
}

/**
 * Two commits whose SHAs share their first `length` hex characters, each on its own branch (so the remote
 * offers both): found by hashing candidate commit objects until two prefixes meet (a birthday search: about
 * 20,000 hashes for 7 characters), then written with git hash-object. Returns both SHAs and the shared prefix.
 */
export function addCommitsSharingPrefix(repo: TestRepo, length = 7): { shas: [string, string]; prefix: string } {
  const tree = git(repo.path, "rev-parse", "HEAD^{tree}");
  const parent = git(repo.path, "rev-parse", "HEAD");
  const body = (n: number) => `tree ${tree}\nparent ${parent}\nauthor t <t@example.test> 1700000000 +0000\ncommitter t <t@example.test> 1700000000 +0000\n\ncollision candidate ${n}\n`;
  const seen = new Map<string, number>();
  for (let n = 0; ; n++) {
    const content = body(n);
    const sha = createHash("sha1")
      .update(`commit ${Buffer.byteLength(content)}\0${content}`)
      .digest("hex");
    const prefix = sha.slice(0, length);
    const other = seen.get(prefix);
    if (other === undefined) {
      seen.set(prefix, n);
      continue;
    }
    const shas = [other, n].map((i, k) => {
      const written = execFileSync("git", ["hash-object", "-t", "commit", "-w", "--stdin"], { cwd: repo.path, input: body(i), encoding: "utf8" }).trim();
      git(repo.path, "update-ref", `refs/heads/collision-${prefix}-${k}`, written);
      return written;
    }) as [string, string];
    return { shas, prefix };
  }
}

/** Restart command for the demo app: stops the previous process, starts the new one detached from the SSH session. */
export function demoRestartCommand(deployPath: string): string {
  const pid = `${deployPath}/shared/app.pid`;
  return `if [ -f ${pid} ]; then kill $(cat ${pid}) 2>/dev/null || true; sleep 0.2; fi; setsid nohup node server.js > ${deployPath}/shared/app.log 2>&1 < /dev/null & echo $! > ${pid}`;
}

/**
 * The demo restart without a fixed path, for an app whose environments deploy to different paths: it finds the
 * deploy path from the release it runs in (cwd is `current/`).
 */
export const PATH_FREE_DEMO_RESTART =
  'D=$(cd "$(pwd -P)/../.." && pwd); if [ -f "$D/shared/app.pid" ]; then kill $(cat "$D/shared/app.pid") 2>/dev/null || true; sleep 0.2; fi; setsid nohup node server.js > "$D/shared/app.log" 2>&1 < /dev/null & echo $! > "$D/shared/app.pid"';

export function stopDemoApp(deployPath: string): void {
  try {
    execFileSync("sh", ["-c", `[ -f ${deployPath}/shared/app.pid ] && kill $(cat ${deployPath}/shared/app.pid) 2>/dev/null; true`]);
  } catch {
    // already gone
  }
}

/**
 * The app fields the demo repository deploys with (createApp's input, or POST /api/v1/apps' body): served by
 * its server.js on `port` of the host, restarted detached, health at /health; `overrides` for what a test varies.
 */
export function demoAppInput<T extends object>(opts: { name: string; repoPath: string; deployPath: string; port: number; serverIds: string[] }, overrides: T = {} as T) {
  return {
    name: opts.name,
    repoUrl: opts.repoPath,
    deployPath: opts.deployPath,
    keepReleases: 5,
    installCommand: "echo installing dependencies",
    buildCommand: "echo building; echo built",
    smokeCommand: "node -e \"require('node:fs').accessSync('server.js')\"",
    restartCommand: demoRestartCommand(opts.deployPath),
    healthUrl: `http://127.0.0.1:${opts.port}/health`,
    serverIds: opts.serverIds,
    strategy: "parallel" as const,
    batchSize: 1,
    env: { PORT: String(opts.port) },
    ...overrides,
  };
}
