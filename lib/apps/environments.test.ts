import { describe, expect, it } from "vitest";
import { db } from "../db/client";

describe("environments", () => {
  it("every app is born with a production environment, however it is created", async () => {
    const app = await db().app.create({ data: { name: "env-born", repoUrl: "/nowhere.git", deployPath: "/srv/env-born" }, select: { id: true } });
    const envs = await db().environment.findMany({ where: { appId: app.id }, select: { name: true, position: true, requireApproval: true, verdict: true, soakMinutes: true } });
    expect(envs).toEqual([{ name: "production", position: 100, requireApproval: false, verdict: "off", soakMinutes: 5 }]);
  });

  it("an app's environment names are unique, and go with the app", async () => {
    const app = await db().app.create({ data: { name: "env-gone", repoUrl: "/nowhere.git", deployPath: "/srv/env-gone" }, select: { id: true } });
    await expect(db().environment.create({ data: { appId: app.id, name: "production" } })).rejects.toThrow(/Unique constraint/);
    await db().environment.create({ data: { appId: app.id, name: "staging", position: 10 } });
    await db().app.delete({ where: { id: app.id } });
    expect(await db().environment.count({ where: { appId: app.id } })).toBe(0);
  });
});
