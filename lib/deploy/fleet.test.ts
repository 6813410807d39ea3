import { existsSync, mkdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import type { Principal } from "../auth/roles";
import { FLEET_ROOT, startFleet, type Fleet } from "../../test/harness/fleet";
import { createTestRepo, demoRestartCommand, type TestRepo } from "../../test/harness/git-app";
import { createApp } from "../apps/apps";
import { createDeployRequest } from "./requests";
import { runDeploy } from "./runner";
import { createServer } from "../servers/servers";

/** Three real hosts (sshd in their own network and mount namespaces): parallel and rolling rollouts. */
const alice: Principal = { kind: "user", id: "u-fleet", email: "fleet@example.test", name: null, role: "deployer" };
let fleet: Fleet;
let repo: TestRepo;
let serverIds: string[];

beforeAll(async () => {
  fleet = await startFleet(3);
  repo = createTestRepo(3);
  await db().user.create({ data: { id: "u-fleet", email: "fleet@example.test", passwordHash: "x", role: "deployer" } });
  serverIds = [];
  for (const h of fleet.hosts) {
    const { server } = await createServer(db(), { name: h.name, host: h.host, port: h.port, username: h.username, privateKey: h.privateKey, hostKeyFingerprint: h.hostKeyFingerprint });
    serverIds.push(server.id);
  }
}, 60_000);

afterAll(async () => {
  await fleet?.stop();
  repo?.cleanup();
});

async function makeApp(name: string, strategy: "parallel" | "rolling", port: number) {
  const deployPath = `${FLEET_ROOT}/${name}`;
  return createApp(db(), {
    name,
    repoUrl: repo.path,
    deployPath,
    keepReleases: 3,
    installCommand: "",
    buildCommand: "",
    smokeCommand: "test -f server.js",
    restartCommand: demoRestartCommand(deployPath),
    healthUrl: `http://127.0.0.1:${port}/health`,
    serverIds,
    strategy,
    batchSize: 1,
    env: { PORT: String(port) },
  });
}

async function deploy(appId: string, ref: string) {
  const d = await createDeployRequest(db(), appId, ref, alice);
  await runDeploy(d.id);
  return db().deploy.findUniqueOrThrow({ where: { id: d.id }, include: { release: true, steps: { include: { server: true }, orderBy: { position: "asc" } } } });
}

/** `current` on one host, read through the test's view of that host's folder. */
function currentOn(i: number, app: string): string | null {
  const link = path.join(fleet.hosts[i]!.root, app, "current");
  return existsSync(link) ? readlinkSync(link).replace(/^releases\//, "") : null;
}

describe("fleets", () => {
  it("a parallel deploy reaches every host, each with its own app on the same port", async () => {
    const app = await makeApp("par", "parallel", 8080);
    const d = await deploy(app.id, repo.commits[0]!);
    expect(d.error).toBeNull();
    expect(d.status).toBe("succeeded");
    for (let i = 0; i < 3; i++) {
      expect(currentOn(i, "par")).toBe(d.release!.dir);
      expect(readFileSync(path.join(fleet.hosts[i]!.root, "par", "current", "REVISION"), "utf8").trim()).toBe(repo.commits[0]);
    }
    expect(d.steps.filter((s) => s.name === "health").map((s) => s.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
  });

  it("a rolling deploy stops at the unhealthy second host and rolls the first batch back", async () => {
    const app = await makeApp("roll", "rolling", 8081);
    const good = await deploy(app.id, repo.commits[0]!);
    expect(good.status).toBe("succeeded");
    // host 2 will fail its health check from now on
    mkdirSync(path.join(fleet.hosts[1]!.root, "roll", "shared"), { recursive: true });
    writeFileSync(path.join(fleet.hosts[1]!.root, "roll", "shared", "unhealthy"), "");

    const bad = await deploy(app.id, repo.commits[1]!);
    expect(bad.status).toBe("failed");
    expect(bad.autoRolledBack).toBe(true);
    expect(bad.error).toMatch(/health check failed on host-2/);
    // every host is back on (or never left) the good release
    for (let i = 0; i < 3; i++) expect(currentOn(i, "roll")).toBe(good.release!.dir);
    const stepOf = (host: string, name: string) => bad.steps.find((s) => s.server?.name === host && s.name === name)?.status;
    expect(stepOf("host-1", "health")).toBe("succeeded");
    expect(stepOf("host-1", "revert")).toBe("succeeded");
    expect(stepOf("host-2", "health")).toBe("failed");
    expect(stepOf("host-2", "revert")).toBe("succeeded");
    // the third batch never started
    expect(stepOf("host-3", "switch")).toBe("cancelled");
    expect(stepOf("host-3", "revert")).toBeUndefined();
  });
});
