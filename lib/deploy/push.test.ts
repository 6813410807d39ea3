import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "../db/client";
import { startSshd, type TestSshd } from "../../test/harness/sshd";
import { createTestRepo, type TestRepo } from "../../test/harness/git-app";
import { createApp } from "../apps/apps";
import { createServer } from "../servers/servers";
import { execFileSync } from "node:child_process";
import { remoteHead } from "./push";
import { openSession } from "./changes";
import { layoutOf } from "./layout";
import { resolveRef } from "./resolve";

/** The head check a pushed commit must pass: git ls-remote on the app's first server, real sshd and git. */
let sshd: TestSshd;
let repo: TestRepo;
const tmp = mkdtempSync(path.join(os.tmpdir(), "deckhand-push-head-"));

beforeAll(async () => {
  sshd = await startSshd();
  repo = createTestRepo(2);
});

afterAll(async () => {
  await sshd?.stop();
  repo?.cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

it("reads a branch's and a tag's head from the remote (null when the ref is gone)", async () => {
  const { server } = await createServer(db(), { name: "push-head", host: sshd.host, port: sshd.port, username: sshd.username, privateKey: sshd.privateKey, hostKeyFingerprint: sshd.hostKeyFingerprint });
  const app = await createApp(db(), {
    name: "push-head",
    repoUrl: repo.path,
    deployPath: path.join(tmp, "app"),
    keepReleases: 5,
    installCommand: "",
    buildCommand: "",
    smokeCommand: "",
    restartCommand: "",
    serverIds: [server.id],
    strategy: "parallel",
    batchSize: 1,
  });
  expect(await remoteHead(app.id, "refs/heads/main")).toEqual({ head: repo.commits[1], peeled: null });
  expect(await remoteHead(app.id, "refs/heads/nope")).toEqual({ head: null, peeled: null });
  expect(await remoteHead(app.id, "refs/tags/v1.0")).toEqual({ head: repo.commits[0], peeled: null });

  // An annotated tag: git ls-remote lists its peeled commit only when asked for it by name (refs/tags/v2.0^{}).
  const env = { ...process.env, GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.test" };
  execFileSync("git", ["tag", "-a", "v2.0", "-m", "release 2", repo.commits[1]!], { cwd: repo.path, env });
  const tagObject = execFileSync("git", ["rev-parse", "v2.0"], { cwd: repo.path, encoding: "utf8" }).trim();
  expect(tagObject).not.toBe(repo.commits[1]);
  expect(await remoteHead(app.id, "refs/tags/v2.0")).toEqual({ head: tagObject, peeled: repo.commits[1] });
  // A deploy of the tag by name resolves to the commit, not to the tag object.
  const session = await openSession(server.id, db());
  try {
    const run = (command: string) => session.exec(command, { timeoutMs: 60_000 });
    const resolve = (ref: string) => resolveRef(run, layoutOf(path.join(tmp, "app")), { url: repo.path, shown: repo.path }, ref);
    expect(await resolve("v2.0")).toBe(repo.commits[1]);
    expect(await resolve("refs/tags/v2.0")).toBe(repo.commits[1]);
    expect(await resolve("v1.0")).toBe(repo.commits[0]);
  } finally {
    session.close();
  }
});
