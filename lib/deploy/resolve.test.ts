import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import type { Principal } from "../auth/roles";
import { startSshd, type TestSshd } from "../../test/harness/sshd";
import { addCommitsSharingPrefix, createTestRepo, type TestRepo } from "../../test/harness/git-app";
import { createApp } from "../apps/apps";
import { createServer } from "../servers/servers";
import { createDeployRequest } from "./requests";
import { runDeploy } from "./runner";
import { releaseDirName } from "./layout";

/**
 * Refs resolved on the first server, in the app's fetch cache: branches and tags through the remote, full
 * SHAs as given, abbreviated SHAs (7+ characters) to the one commit they name — or a plain refusal when
 * they name none or several. Real sshd, real git.
 */
const bob: Principal = { kind: "user", id: "u-resolve", email: "resolve@example.test", name: null, role: "deployer" };
let sshd: TestSshd;
let repo: TestRepo;
let serverId: string;
const tmp = mkdtempSync(path.join(os.tmpdir(), "deckhand-resolve-"));

beforeAll(async () => {
  sshd = await startSshd();
  repo = createTestRepo(4);
  await db().user.create({ data: { id: bob.id, email: bob.email, passwordHash: "x", role: "deployer" } });
  const { server } = await createServer(db(), { name: "resolver", host: sshd.host, port: sshd.port, username: sshd.username, privateKey: sshd.privateKey, hostKeyFingerprint: sshd.hostKeyFingerprint });
  serverId = server.id;
});

afterAll(async () => {
  await sshd?.stop();
  repo?.cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

let apps = 0;
async function newApp() {
  const deployPath = path.join(tmp, `app-${++apps}`);
  const app = await createApp(db(), {
    name: `resolve-${apps}`,
    repoUrl: repo.path,
    deployPath,
    keepReleases: 5,
    installCommand: "",
    buildCommand: "",
    smokeCommand: "test -f server.js",
    restartCommand: "",
    serverIds: [serverId],
    strategy: "parallel",
    batchSize: 1,
  });
  return { appId: app.id, deployPath };
}

async function deploy(appId: string, ref: string) {
  const d = await createDeployRequest(db(), appId, ref, bob);
  await runDeploy(d.id);
  const row = await db().deploy.findUniqueOrThrow({ where: { id: d.id }, include: { release: true } });
  const log = (await db().deployLog.findMany({ where: { deployId: d.id }, orderBy: { id: "asc" } })).map((l) => l.text).join("");
  return { ...row, log };
}

function revisionOf(deployPath: string): string {
  return readFileSync(path.join(deployPath, "current", "REVISION"), "utf8").trim();
}

/** A 7-character prefix no object of the repository starts with. */
function unusedPrefix(): string {
  for (let n = 0; ; n++) {
    const candidate = (0xabc0000 + n).toString(16);
    const out = execFileSync("git", ["rev-parse", `--disambiguate=${candidate}`], { cwd: repo.path, encoding: "utf8" });
    if (out.trim() === "") return candidate;
  }
}

describe("resolving a ref on the first server", () => {
  it("deploys a 7-character SHA as the one commit it names, and says which in the log", async () => {
    const { appId, deployPath } = await newApp();
    const target = repo.commits[1]!;
    const d = await deploy(appId, target.slice(0, 7));
    expect(d.error).toBeNull();
    expect(d.status).toBe("succeeded");
    expect(d.commit).toBe(target);
    expect(revisionOf(deployPath)).toBe(target);
    expect(d.log).toContain(`${target.slice(0, 7)} is ${target}: "v2" by t <t@example.test>`);
  });

  it("resolves an old commit by a short SHA after earlier deploys left the cache shallow, in either case", async () => {
    const { appId, deployPath } = await newApp();
    expect((await deploy(appId, "main")).status).toBe("succeeded");
    const oldest = repo.commits[0]!;
    const d = await deploy(appId, oldest.slice(0, 10).toUpperCase());
    expect(d.error).toBeNull();
    expect(d.commit).toBe(oldest);
    expect(revisionOf(deployPath)).toBe(oldest);
    // The cache keeps whole history from then on, and a later deploy by branch still works.
    expect(existsSync(path.join(deployPath, "shared", ".deckhand-repo.git", "shallow"))).toBe(false);
    const again = await deploy(appId, "main");
    expect(again.status).toBe("succeeded");
    expect(existsSync(path.join(deployPath, "shared", ".deckhand-repo.git", "shallow"))).toBe(false);
  });

  it("gives a redeploy of the same commit its own release directory even when the latest release is from this second or later", async () => {
    const { appId, deployPath } = await newApp();
    const first = await deploy(appId, "main");
    expect(first.status).toBe("succeeded");
    // A release dated ahead of the clock (this second's twin, or a clock set back): the next one sorts after it.
    const ahead = releaseDirName(new Date(Date.now() + 5000), first.commit!);
    await db().release.create({ data: { appId, commit: first.commit!, dir: ahead, status: "failed" } });
    const again = await deploy(appId, "main");
    expect(again.error).toBeNull();
    expect(again.status).toBe("succeeded");
    expect(again.release!.dir > ahead).toBe(true);
    expect(revisionOf(deployPath)).toBe(first.commit);
    expect(readlinkSync(path.join(deployPath, "current"))).toContain(again.release!.dir);
  });

  it("refuses an ambiguous short SHA, naming how many commits it matches", async () => {
    const { shas, prefix } = addCommitsSharingPrefix(repo, 7);
    const { appId, deployPath } = await newApp();
    const d = await deploy(appId, prefix);
    expect(d.status).toBe("failed");
    expect(d.error).toMatch(new RegExp(`^${prefix} is ambiguous: it matches [2-9] commits \\(`));
    for (const sha of shas) expect(d.error).toContain(sha.slice(0, 12));
    expect(d.release).toBeNull();
    expect(existsSync(path.join(deployPath, "current"))).toBe(false);
    // One more character tells them apart (unless they share it too), and that deploys.
    const longer = shas[0].slice(0, 12);
    if (!shas[1].startsWith(longer)) {
      const ok = await deploy(appId, longer);
      expect(ok.commit).toBe(shas[0]);
      expect(ok.status).toBe("succeeded");
    }
  });

  it("refuses an unknown short SHA and an unknown full SHA with 'no commit … in <repo>'", async () => {
    const { appId } = await newApp();
    const prefix = unusedPrefix();
    const short = await deploy(appId, prefix);
    expect(short.status).toBe("failed");
    expect(short.error).toBe(`no commit ${prefix} in ${repo.path}`);
    const full = "1234567890123456789012345678901234567890";
    const unknownFull = await deploy(appId, full);
    expect(unknownFull.status).toBe("failed");
    expect(unknownFull.error).toBe(`no commit ${full} in ${repo.path}`);
  });

  it("says an abbreviated SHA needs 7 characters when a shorter hex string is no branch or tag", async () => {
    const { appId } = await newApp();
    const d = await deploy(appId, repo.commits[0]!.slice(0, 5));
    expect(d.status).toBe("failed");
    expect(d.error).toMatch(/is not a branch or tag of .*at least 7 characters/);
  });

  it("prefers a branch whose name looks like a SHA prefix, as git does", async () => {
    const name = unusedPrefix();
    execFileSync("git", ["branch", name, repo.commits[2]!], { cwd: repo.path });
    const { appId } = await newApp();
    const d = await deploy(appId, name);
    expect(d.status).toBe("succeeded");
    expect(d.commit).toBe(repo.commits[2]);
  });
});
