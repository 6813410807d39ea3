import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { startSshd, type TestSshd } from "../../test/harness/sshd";
import { createTestRepo, type TestRepo } from "../../test/harness/git-app";
import { createApp } from "../apps/apps";
import { createDeployRequest } from "./requests";
import { runDeploy } from "./runner";
import { createServer } from "../servers/servers";

// Read once by lib/env.ts on first use, which happens after this line (imports do not read the environment).
process.env.DECKHAND_STEP_TIMEOUT_SECONDS = "2";

let sshd: TestSshd;
let repo: TestRepo;
const tmp = mkdtempSync(path.join(os.tmpdir(), "deckhand-timeout-"));

beforeAll(async () => {
  sshd = await startSshd();
  repo = createTestRepo(1);
  await db().user.create({ data: { id: "u-t", email: "t@example.test", passwordHash: "x", role: "deployer" } });
});

afterAll(async () => {
  await sshd?.stop();
  repo?.cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

describe("step timeout", () => {
  it("stops a step that runs past DECKHAND_STEP_TIMEOUT_SECONDS, kills its command and fails the deploy", async () => {
    const pidFile = path.join(tmp, "build.pid");
    const { server } = await createServer(db(), { name: "t", host: sshd.host, port: sshd.port, username: sshd.username, privateKey: sshd.privateKey, hostKeyFingerprint: sshd.hostKeyFingerprint });
    const app = await createApp(db(), {
      name: "slow",
      repoUrl: repo.path,
      deployPath: path.join(tmp, "app"),
      keepReleases: 3,
      installCommand: "",
      buildCommand: `sh -c 'echo $$ > ${pidFile}; exec sleep 60'`,
      smokeCommand: "",
      restartCommand: "",
      serverIds: [server.id],
      strategy: "parallel",
      batchSize: 1,
    });
    const d = await createDeployRequest(db(), app.id, repo.commits[0]!, { kind: "user", id: "u-t", email: "t@example.test", name: null, role: "deployer" });
    const started = Date.now();
    await runDeploy(d.id);
    expect(Date.now() - started).toBeLessThan(15_000);
    const row = await db().deploy.findUniqueOrThrow({ where: { id: d.id } });
    expect(row.status).toBe("failed");
    expect(row.error).toMatch(/build on t: timed out after 2 s and was stopped/);
    expect(existsSync(path.join(tmp, "app", "current"))).toBe(false);
    // the remote build process is gone
    const pid = Number((await import("node:fs")).readFileSync(pidFile, "utf8").trim());
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    // SIGKILLed at once; the poll only allows for its parent reaping it (a zombie still answers kill 0).
    await expect.poll(alive, { timeout: 3_000, interval: 50 }).toBe(false);
  });
});
