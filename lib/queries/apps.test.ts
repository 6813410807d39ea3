import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { currentRelease } from "../deploy/requests";
import { listApps } from "./apps";

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 2, 1);

async function server(name: string) {
  return db().server.create({
    data: { name, host: "127.0.0.1", port: 22, username: "deploy", sshKey: { create: { name, publicKey: "p", fingerprint: `f-${name}`, encryptedPrivateKey: "x" } } },
  });
}

async function release(appId: string, dir: string) {
  return db().release.create({ data: { appId, commit: dir.padEnd(40, "0"), dir, status: "succeeded" } });
}

async function deploy(appId: string, at: number, data: { kind?: "deploy" | "rollback"; status: "succeeded" | "failed" | "queued"; releaseId?: string; actor?: string }) {
  return db().deploy.create({
    data: {
      appId,
      kind: data.kind ?? "deploy",
      status: data.status,
      releaseId: data.releaseId ?? null,
      actorLabel: data.actor ?? "ops@example.com",
      createdAt: new Date(at),
      finishedAt: data.status === "queued" ? null : new Date(at + 60_000),
    },
  });
}

beforeAll(async () => {
  const [web1, web2] = [await server("web-1"), await server("web-2")];
  // beta: two releases, the newer one current, then a failed deploy as the last one.
  const beta = await db().app.create({ data: { name: "beta", repoUrl: "/srv/beta.git", deployPath: "/srv/beta", strategy: "rolling" } });
  await db().appTarget.createMany({
    data: [
      { appId: beta.id, serverId: web1.id, position: 0 },
      { appId: beta.id, serverId: web2.id, position: 1 },
    ],
  });
  const b1 = await release(beta.id, "b1");
  const b2 = await release(beta.id, "b2");
  await deploy(beta.id, T0, { status: "succeeded", releaseId: b1.id });
  await deploy(beta.id, T0 + HOUR, { status: "succeeded", releaseId: b2.id });
  await deploy(beta.id, T0 + 2 * HOUR, { status: "failed", actor: "dora@example.com" });
  // gamma: rolled back to its first release after the second; a deploy is queued.
  const gamma = await db().app.create({ data: { name: "gamma", repoUrl: "/srv/gamma.git", deployPath: "/srv/gamma" } });
  await db().appTarget.create({ data: { appId: gamma.id, serverId: web2.id, position: 0 } });
  const g1 = await release(gamma.id, "g1");
  const g2 = await release(gamma.id, "g2");
  await deploy(gamma.id, T0, { status: "succeeded", releaseId: g1.id });
  await deploy(gamma.id, T0 + HOUR, { status: "succeeded", releaseId: g2.id });
  await deploy(gamma.id, T0 + 2 * HOUR, { kind: "rollback", status: "succeeded", releaseId: g1.id, actor: "token ci" });
  await deploy(gamma.id, T0 + 3 * HOUR, { status: "queued" });
  // alpha: nothing deployed, no servers.
  await db().app.create({ data: { name: "alpha", repoUrl: "/srv/alpha.git", deployPath: "/srv/alpha" } });
});

describe("listApps", () => {
  it("gives every app, by name, with its target count, current release and last deploy", async () => {
    const rows = await listApps();
    expect(rows.map((r) => [r.name, r.targets, r.strategy, r.current?.dir ?? null, r.lastDeploy?.status ?? null, r.lastDeploy?.actorLabel ?? null])).toEqual([
      ["alpha", 0, "parallel", null, null, null],
      ["beta", 2, "rolling", "b2", "failed", "dora@example.com"],
      ["gamma", 1, "parallel", "g1", "queued", "ops@example.com"],
    ]);
    expect(rows.find((r) => r.name === "gamma")!.lastDeploy).toMatchObject({ kind: "deploy", createdAt: T0 + 3 * HOUR });
  });

  it("agrees with the one-app reads it replaces, app by app", async () => {
    for (const row of await listApps()) {
      const current = await currentRelease(db(), row.id);
      // The list carries the release's identity; its commit message, author and date are on the app page.
      expect(row.current, row.name).toEqual(current && { id: current.id, dir: current.dir, commit: current.commit, createdAt: current.createdAt.getTime() });
      const last = await db().deploy.findFirst({ where: { appId: row.id }, orderBy: { createdAt: "desc" }, select: { id: true, kind: true, status: true, createdAt: true, actorLabel: true } });
      expect(row.lastDeploy, row.name).toEqual(last && { ...last, createdAt: last.createdAt.getTime() });
      expect(row.targets, row.name).toBe(await db().appTarget.count({ where: { appId: row.id } }));
    }
  });

  it("is plain page-ready data: epoch-ms times and no Prisma internals", async () => {
    const [, beta] = await listApps();
    expect(Object.keys(beta!)).toEqual(["id", "name", "repoUrl", "strategy", "targets", "current", "lastDeploy"]);
    expect(typeof beta!.current!.createdAt).toBe("number");
    expect(typeof beta!.lastDeploy!.createdAt).toBe("number");
  });
});
