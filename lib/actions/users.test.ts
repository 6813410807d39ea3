import { describe, expect, it } from "vitest";
import { db } from "../db/client";
import { ConflictError, ForbiddenError, UnauthenticatedError } from "../errors";
import type { Principal } from "../auth/roles";
import { completeSetup } from "./users";
import { runAction } from "./core";
import { startDeployAction } from "./deploys";

const meta = { ip: "127.0.0.1", userAgent: "vitest" };

describe("one-time setup", () => {
  it("creates the first admin once, refuses afterwards, and only one of two racing requests wins", async () => {
    const results = await Promise.allSettled([completeSetup({ email: "first@example.test", password: "a long enough password" }, meta), completeSetup({ email: "second@example.test", password: "a long enough password" }, meta)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(ConflictError);
    expect(refused.reason.message).toMatch(/Setup is already complete/);
    await expect(completeSetup({ email: "third@example.test", password: "a long enough password" }, meta)).rejects.toThrow(/already complete/);
    const users = await db().user.findMany();
    expect(users).toHaveLength(1);
    expect(users[0]!.role).toBe("admin");
  });

  it("rejects bad input with a message naming the field", async () => {
    await expect(completeSetup({ email: "not-an-email", password: "a long enough password" }, meta)).rejects.toThrow(/^email: must be an email address/);
    await expect(completeSetup({ email: "ok@example.test", password: "short" }, meta)).rejects.toThrow(/^password: must be at least 10 characters/);
  });
});

describe("the action wrapper enforces roles on the server", () => {
  it("refuses a viewer a deployer action with 403, audits the refusal, and changes nothing", async () => {
    const viewer: Principal = { kind: "user", id: "v1", email: "viewer@example.test", name: null, role: "viewer" };
    const app = await db().app.create({ data: { name: "guarded", repoUrl: "/srv/repo.git", deployPath: "/srv/guarded" } });
    await expect(runAction(startDeployAction, viewer, { appId: app.id, ref: "main" }, meta)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(runAction(startDeployAction, null, { appId: app.id, ref: "main" }, meta)).rejects.toBeInstanceOf(UnauthenticatedError);
    expect(await db().deploy.count()).toBe(0);
    const events = await db().auditEvent.findMany({ where: { action: "deploy.start" } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ outcome: "denied", actorLabel: "viewer@example.test", actorRole: "viewer", ip: "127.0.0.1" });
  });
});
