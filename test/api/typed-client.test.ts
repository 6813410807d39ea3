import { mkdtempSync, readlinkSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import createClient from "openapi-fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "../../lib/auth/tokens";
import type { paths } from "../generated/openapi";
import { appDb } from "../helpers/app-db";
import { baseUrl, fakeIp } from "../helpers/http";
import { createTestRepo, demoRestartCommand, freePort, stopDemoApp, type TestRepo } from "../harness/git-app";
import { startSshd, type TestSshd } from "../harness/sshd";

/**
 * A client generated from the OpenAPI document (openapi-typescript + openapi-fetch) drives a whole release:
 * create a server and an app, deploy twice, roll back. `npm run typecheck` checks every call below against the
 * document's types, and this test checks the answers against the real app, its worker, sshd and git.
 */
let sshd: TestSshd;
let repo: TestRepo;
let root: string;
let admin: ReturnType<typeof createClient<paths>>;
let deployer: ReturnType<typeof createClient<paths>>;

function client(token: string) {
  return createClient<paths>({ baseUrl: baseUrl(), headers: { authorization: `Bearer ${token}`, "x-forwarded-for": fakeIp() } });
}

beforeAll(async () => {
  sshd = await startSshd();
  repo = createTestRepo(2);
  root = mkdtempSync(path.join(os.tmpdir(), "deckhand-typed-"));
  admin = client((await createApiToken(appDb(), { name: "typed-admin", role: "admin" })).token);
  deployer = client((await createApiToken(appDb(), { name: "typed-deployer", role: "deployer" })).token);
});

afterAll(async () => {
  stopDemoApp(path.join(root, "app"));
  await sshd?.stop();
  repo?.cleanup();
  rmSync(root, { recursive: true, force: true });
  await appDb().$disconnect();
});

async function finished(id: string) {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
    const { data } = await deployer.GET("/api/v1/deploys/{deployId}", { params: { path: { deployId: id } } });
    if (data && data.status !== "queued" && data.status !== "running") return data;
  }
  throw new Error(`deploy ${id} did not finish`);
}

describe("the API through a client generated from its OpenAPI document", () => {
  it("creates a server and an app, deploys, deploys again and rolls back", async () => {
    const server = await admin.POST("/api/v1/servers", {
      body: { name: "typed-srv", host: sshd.host, port: sshd.port, username: sshd.username, privateKey: sshd.privateKey, hostKeyFingerprint: sshd.hostKeyFingerprint },
    });
    expect(server.response.status, JSON.stringify(server.error)).toBe(201);
    const deployPath = path.join(root, "app");
    const port = await freePort();
    const app = await admin.POST("/api/v1/apps", {
      body: {
        name: "typed-app",
        repoUrl: repo.path,
        deployPath,
        keepReleases: 5,
        smokeCommand: "test -f server.js",
        restartCommand: demoRestartCommand(deployPath),
        healthUrl: `http://127.0.0.1:${port}/health`,
        serverIds: [server.data!.id],
        env: { PORT: String(port) },
      },
    });
    expect(app.response.status, JSON.stringify(app.error)).toBe(201);
    const appId = app.data!.id;

    const first = await deployer.POST("/api/v1/apps/{appId}/deploys", { params: { path: { appId } }, body: { ref: "v1.0" } });
    expect(first.response.status).toBe(202);
    expect(await finished(first.data!.id)).toMatchObject({ status: "succeeded", commit: repo.commits[0] });
    const second = await deployer.POST("/api/v1/apps/{appId}/deploys", { params: { path: { appId } }, body: { ref: "main" } });
    expect(await finished(second.data!.id)).toMatchObject({ status: "succeeded", commit: repo.commits[1] });

    const releases = await deployer.GET("/api/v1/apps/{appId}/releases", { params: { path: { appId } } });
    expect(releases.data!.map((r) => [r.commit, r.current])).toEqual([
      [repo.commits[1], true],
      [repo.commits[0], false],
    ]);

    const rollback = await deployer.POST("/api/v1/apps/{appId}/rollbacks", { params: { path: { appId } }, body: {} });
    expect(rollback.response.status).toBe(202);
    expect(await finished(rollback.data!.id)).toMatchObject({ kind: "rollback", status: "succeeded", releaseId: releases.data![1]!.id });
    expect(readlinkSync(path.join(deployPath, "current"))).toBe(`releases/${releases.data![1]!.dir}`);

    // A refusal comes back as the document's error shape.
    const refused = await deployer.POST("/api/v1/servers", { body: { name: "nope", host: "127.0.0.1", port: 22, username: "x", generateKey: true } });
    expect(refused.response.status).toBe(403);
    expect(refused.error).toMatchObject({ error: { code: "forbidden" } });
  });
});
