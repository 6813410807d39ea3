import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { serverPublicFields } from "../servers/servers";
import { monitorPublicSelect } from "../health/monitors";
import { listApps } from "../queries/apps";
import { getDeploy, listDeploys, listReleases } from "../queries/deploys";
import { getMonitor, listMonitors } from "../queries/monitors";
import { listServers } from "../queries/servers";
import { appListJson, deployJson, deployListJson, monitorJson, monitorListJson, releaseJson, serverJson } from "./wire";

/**
 * The read models hold epoch ms; the API answers with ISO strings. Each serializer must give back, byte for
 * byte, the JSON the API sent when its routes returned the Prisma rows (Dates) as they were.
 */
const asSent = (v: unknown) => JSON.stringify(v);

let appId: string;
let deployId: string;
let monitorId: string;

beforeAll(async () => {
  const server = await db().server.create({
    data: { name: "wire-1", host: "127.0.0.1", port: 22, username: "deploy", hostKeyCheckedAt: new Date("2026-03-01T10:00:00.250Z"), sshKey: { create: { name: "k", publicKey: "p", fingerprint: "f", encryptedPrivateKey: "x" } } },
  });
  const app = await db().app.create({ data: { name: "wire", repoUrl: "/srv/wire.git", deployPath: "/srv/wire", targets: { create: { serverId: server.id, position: 0 } } } });
  appId = app.id;
  const release = await db().release.create({ data: { appId, commit: "c".repeat(40), dir: "20260301100000-ccccccc", status: "succeeded" } });
  const deploy = await db().deploy.create({
    data: {
      appId,
      kind: "deploy",
      status: "succeeded",
      ref: "main",
      commit: "c".repeat(40),
      releaseId: release.id,
      actorLabel: "ops@example.com",
      createdAt: new Date("2026-03-01T10:00:00.001Z"),
      startedAt: new Date("2026-03-01T10:00:01Z"),
      finishedAt: new Date("2026-03-01T10:01:00Z"),
    },
  });
  deployId = deploy.id;
  await db().release.update({ where: { id: release.id }, data: { deployId } });
  await db().deployStep.create({ data: { deployId, serverId: server.id, name: "pull", position: 0, status: "succeeded", startedAt: new Date("2026-03-01T10:00:02Z"), finishedAt: new Date("2026-03-01T10:00:05Z") } });
  await db().deployStep.create({ data: { deployId, serverId: server.id, name: "install", position: 1, status: "pending" } });
  monitorId = (await db().monitor.create({ data: { name: "wire health", type: "http", url: "http://127.0.0.1:1/health", appId, lastCheckedAt: new Date("2026-03-01T10:02:00Z") } })).id;
});

describe("the API's JSON", () => {
  it("GET /api/v1/servers", async () => {
    const before = await db().server.findMany({ orderBy: { name: "asc" }, select: { ...serverPublicFields, targets: { select: { app: { select: { id: true, name: true } } } } } });
    expect(asSent((await listServers()).map(serverJson))).toBe(asSent(before));
  });

  it("GET /api/v1/apps, without Prisma's _count", async () => {
    const [app] = (await listApps()).map(appListJson);
    expect(app).toEqual({
      id: appId,
      name: "wire",
      repoUrl: "/srv/wire.git",
      strategy: "parallel",
      targets: 1,
      current: { id: expect.any(String), dir: "20260301100000-ccccccc", commit: "c".repeat(40), createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) },
      lastDeploy: { id: deployId, kind: "deploy", status: "succeeded", createdAt: "2026-03-01T10:00:00.001Z", actorLabel: "ops@example.com" },
    });
  });

  it("GET /api/v1/apps/{appId}/deploys", async () => {
    const before = await db().deploy.findMany({
      where: { appId },
      orderBy: { createdAt: "desc" },
      take: 50,
      select: {
        id: true,
        kind: true,
        status: true,
        ref: true,
        commit: true,
        actorLabel: true,
        createdAt: true,
        finishedAt: true,
        autoRolledBack: true,
        error: true,
        app: { select: { id: true, name: true } },
        release: { select: { dir: true } },
      },
    });
    // Added since: commitMessage, commitAuthor and committedAt (issue 12: every deploy shows its commit), and the
    // environment it went to, the one it was promoted from and a freeze override's reason (issue 15).
    const expected = before.map((d) => ({ ...d, commitMessage: null, commitAuthor: null, committedAt: null, environment: "production", promotedFrom: null, freezeOverrideReason: null }));
    expect(JSON.parse(asSent((await listDeploys({ appId })).map(deployListJson)))).toEqual(JSON.parse(asSent(expected)));
  });

  it("GET /api/v1/apps/{appId}/releases and GET /api/v1/deploys/{deployId}: ISO date-times, as documented", async () => {
    const [release] = (await listReleases(appId)).map(releaseJson);
    expect(release!.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const deploy = deployJson(await getDeploy(deployId));
    expect(deploy).toMatchObject({ createdAt: "2026-03-01T10:00:00.001Z", startedAt: "2026-03-01T10:00:01.000Z", finishedAt: "2026-03-01T10:01:00.000Z" });
    expect(deploy.steps.map((s) => [s.name, s.startedAt, s.finishedAt])).toEqual([
      ["pull", "2026-03-01T10:00:02.000Z", "2026-03-01T10:00:05.000Z"],
      ["install", null, null],
    ]);
  });

  it("GET /api/v1/monitors and GET /api/v1/monitors/{id}", async () => {
    expect((await listMonitors()).map(monitorListJson)).toEqual([expect.objectContaining({ id: monitorId, lastCheckedAt: "2026-03-01T10:02:00.000Z" })]);
    const row = await db().monitor.findUniqueOrThrow({ where: { id: monitorId }, select: { ...monitorPublicSelect, app: { select: { id: true, name: true } }, server: { select: { id: true, name: true } } } });
    const before = { ...row, target: row.url, lastCheckedAt: row.lastCheckedAt?.toISOString() ?? null, nextRunAt: row.nextRunAt.toISOString(), createdAt: row.createdAt.toISOString() };
    // Added by issue 14: channelIds (null = its app's or the default channels), inMaintenance, certDaysLeft (with certNotAfter as ISO).
    expect(JSON.parse(asSent(monitorJson(await getMonitor(monitorId))))).toEqual(JSON.parse(asSent({ ...before, channelIds: null, inMaintenance: false, certDaysLeft: null })));
  });
});
