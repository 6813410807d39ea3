import { describe, expect, it } from "vitest";
import { db } from "../db/client";
import type { Principal } from "../auth/roles";
import { createAppAction, updateAppAction } from "./apps";
import { runAction } from "./core";
import { createServerAction, updateServerAction } from "./servers";

const admin: Principal = { kind: "token", id: "t-admin", name: "admin", role: "admin" };
const meta = { ip: null, userAgent: null };

describe("partial updates change only what they name", () => {
  it("an app update with only env keeps its commands, targets, rollout and keep count", async () => {
    const server = await runAction(createServerAction, admin, { name: "s1", host: "10.0.0.5", port: 2222, username: "deploy", generateKey: true }, meta);
    const app = await runAction(
      createAppAction,
      admin,
      { name: "a1", repoUrl: "/srv/a1.git", deployPath: "/srv/a1", keepReleases: 9, buildCommand: "make", restartCommand: "systemctl restart a1", serverIds: [server.id], strategy: "rolling", batchSize: 2 },
      meta,
    );
    await runAction(updateAppAction, admin, { appId: app.id, env: { A: "1" } }, meta);
    const after = await db().app.findUniqueOrThrow({ where: { id: app.id }, include: { targets: true } });
    expect(after).toMatchObject({ keepReleases: 9, buildCommand: "make", restartCommand: "systemctl restart a1", strategy: "rolling", batchSize: 2 });
    expect(after.targets.map((t) => t.serverId)).toEqual([server.id]);

    await runAction(updateServerAction, admin, { serverId: server.id, name: "s1-renamed" }, meta);
    expect(await db().server.findUniqueOrThrow({ where: { id: server.id } })).toMatchObject({ name: "s1-renamed", port: 2222, host: "10.0.0.5", username: "deploy" });
  });
});
