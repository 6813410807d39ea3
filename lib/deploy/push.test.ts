import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "../db/client";
import { startSshd, type TestSshd } from "../../test/harness/sshd";
import { createTestRepo, type TestRepo } from "../../test/harness/git-app";
import { createApp } from "../apps/apps";
import { createServer } from "../servers/servers";
import { remoteHead } from "./push";

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
});
