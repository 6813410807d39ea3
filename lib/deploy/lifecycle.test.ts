import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { DeployStatus } from "../generated/prisma/enums";
import type { Principal } from "../auth/roles";
import { db } from "../db/client";
import { ConflictError } from "../errors";
import { resolveEnvironment, type ResolvedEnvironment } from "../apps/environments";
import { assertTransition, claimDeploy, DEPLOY_TRANSITIONS, finishDeploy, IllegalTransitionError, queueDeploy, requestCancel, transition } from "./lifecycle";

const bob: Principal = { kind: "user", id: "u-bob", email: "bob@example.test", name: null, role: "deployer" };
const ALL: DeployStatus[] = ["awaiting_approval", "queued", "running", "succeeded", "failed", "cancelled", "interrupted", "rejected", "expired"];

let appId = "";
let production: ResolvedEnvironment;
let staging: ResolvedEnvironment;
beforeAll(async () => {
  await db().user.create({ data: { id: bob.id, email: bob.email, passwordHash: "x", role: "deployer" } });
  appId = (await db().app.create({ data: { name: "lifecycle", repoUrl: "/nowhere.git", deployPath: "/srv/lifecycle" }, select: { id: true } })).id;
  production = await resolveEnvironment(db(), appId, "production");
  await db().environment.create({ data: { appId, name: "staging", position: 10 } });
  staging = await resolveEnvironment(db(), appId, "staging");
});

async function deployIn(status: DeployStatus): Promise<string> {
  const d = await db().deploy.create({ data: { appId, kind: "deploy", actorLabel: "test", status, finishedAt: ["queued", "running", "awaiting_approval"].includes(status) ? null : new Date() }, select: { id: true } });
  return d.id;
}

async function statusOf(id: string) {
  return (await db().deploy.findUniqueOrThrow({ where: { id }, select: { status: true } })).status;
}

describe("the deploy state machine", () => {
  it("lets a deploy only go forward: queued → running → an end, and an end is final", () => {
    expect(DEPLOY_TRANSITIONS.queued).toEqual(["running", "cancelled"]);
    for (const end of ["succeeded", "failed", "cancelled", "interrupted", "rejected", "expired"] as const) {
      expect(DEPLOY_TRANSITIONS[end]).toEqual([]);
      for (const to of ALL) expect(() => assertTransition(end, to)).toThrow(IllegalTransitionError);
    }
    expect(() => assertTransition("queued", "succeeded")).toThrow("a deploy cannot go from queued to succeeded");
    expect(() => assertTransition("running", "queued")).toThrow(IllegalTransitionError);
    expect(() => assertTransition("queued", "running")).not.toThrow();
  });

  it("lets a request awaiting approval be approved (queued), rejected, expired or cancelled, and nothing else", () => {
    expect(DEPLOY_TRANSITIONS.awaiting_approval).toEqual(["queued", "rejected", "expired", "cancelled"]);
    for (const to of ["running", "succeeded", "failed", "interrupted", "awaiting_approval"] as const) expect(() => assertTransition("awaiting_approval", to)).toThrow(IllegalTransitionError);
    for (const from of ALL.filter((s) => s !== "awaiting_approval")) expect(() => assertTransition(from, "awaiting_approval")).toThrow(IllegalTransitionError);
  });

  it("a request awaiting approval holds no lock and can be withdrawn", async () => {
    const waiting = await queueDeploy(db(), { appId, appName: "lifecycle", environment: production, kind: "deploy", ref: "main", commit: null, releaseId: null, principal: bob, awaitApproval: true });
    expect(waiting.status).toBe("awaiting_approval");
    const queued = await queueDeploy(db(), { appId, appName: "lifecycle", environment: production, kind: "deploy", ref: "main", commit: null, releaseId: null, principal: bob });
    expect(await claimDeploy(db(), waiting.id)).toBeNull();
    await requestCancel(db(), queued.id);
    await requestCancel(db(), waiting.id);
    expect(await statusOf(waiting.id)).toBe("cancelled");
  });

  it("refuses an illegal transition (succeeded → running) before touching the row", async () => {
    const id = await deployIn("succeeded");
    await expect(transition(db(), id, { from: "succeeded", to: "running" })).rejects.toBeInstanceOf(IllegalTransitionError);
    expect(await statusOf(id)).toBe("succeeded");
  });

  it("moves a deploy only from the status the caller names", async () => {
    const id = await deployIn("running");
    expect(await transition(db(), id, { from: "queued", to: "cancelled" })).toBe(false);
    expect(await statusOf(id)).toBe("running");
    expect(await transition(db(), id, { from: "running", to: "failed" })).toBe(true);
    expect(await statusOf(id)).toBe("failed");
  });

  it("claims a queued deploy exactly once, with its first heartbeat", async () => {
    const { id } = await queueDeploy(db(), { appId, appName: "lifecycle", environment: production, kind: "deploy", ref: "main", commit: null, releaseId: null, principal: bob });
    const [a, b] = await Promise.all([claimDeploy(db(), id), claimDeploy(db(), id)]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    const row = await db().deploy.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe("running");
    expect(row.heartbeatAt).not.toBeNull();
    expect(row.startedAt).not.toBeNull();
    await finishDeploy(db(), (a ?? b)!, "succeeded", null);
    expect(await statusOf(id)).toBe("succeeded");
    expect(await db().auditEvent.count({ where: { action: "deploy.finish", targetId: id } })).toBe(1);
  });

  it("holds the app's lock while queued or running, and names its holder", async () => {
    const { id } = await queueDeploy(db(), { appId, appName: "lifecycle", environment: production, kind: "deploy", ref: "main", commit: null, releaseId: null, principal: bob });
    await expect(queueDeploy(db(), { appId, appName: "lifecycle", environment: production, kind: "rollback", ref: null, commit: null, releaseId: null, principal: bob })).rejects.toThrow(
      /lifecycle is locked: a deploy or rollback by bob@example.test/,
    );
    await requestCancel(db(), id);
    expect(await statusOf(id)).toBe("cancelled");
  });

  it("holds the lock per environment: staging deploys while production deploys, and each is locked on its own", async () => {
    const prod = await queueDeploy(db(), { appId, appName: "lifecycle", environment: production, kind: "deploy", ref: "main", commit: null, releaseId: null, principal: bob });
    const stage = await queueDeploy(db(), { appId, appName: "lifecycle", environment: staging, kind: "deploy", ref: "main", commit: null, releaseId: null, principal: bob });
    await expect(queueDeploy(db(), { appId, appName: "lifecycle", environment: staging, kind: "deploy", ref: "main", commit: null, releaseId: null, principal: bob })).rejects.toThrow(
      new RegExp(`lifecycle \\(staging\\) is locked: a deploy or rollback by bob@example.test \\(deploy ${stage.id}`),
    );
    const rows = await db().deploy.findMany({ where: { id: { in: [prod.id, stage.id] } }, select: { environmentId: true } });
    expect(rows.map((r) => r.environmentId).sort()).toEqual([production.id, staging.id].sort());
    await requestCancel(db(), prod.id);
    await requestCancel(db(), stage.id);
  });

  it("does not finish a deploy that already ended elsewhere, and writes no second event", async () => {
    const id = await deployIn("interrupted");
    await finishDeploy(db(), { id, kind: "deploy", ref: null, commit: null, releaseId: null, appId, environmentId: null, actorLabel: "test" }, "succeeded", null);
    expect(await statusOf(id)).toBe("interrupted");
    expect(await db().auditEvent.count({ where: { targetId: id } })).toBe(0);
  });

  it("refuses to cancel a deploy that already ended", async () => {
    const id = await deployIn("failed");
    await expect(requestCancel(db(), id)).rejects.toBeInstanceOf(ConflictError);
    await expect(requestCancel(db(), id)).rejects.toThrow("This deploy already ended (failed)");
  });
});

/** Every non-test source file of lib/, scripts/ and bin/. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (name === "generated" || name === "node_modules") return [];
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(name) && !/\.(test|spec)\.tsx?$/.test(name) ? [p] : [];
  });
}

describe("one owner for a deploy's status", () => {
  it("no module but lib/deploy/lifecycle.ts writes Deploy.status", () => {
    const root = path.resolve(import.meta.dirname, "../..");
    const writers: string[] = [];
    for (const file of ["lib", "scripts", "bin", "app"].flatMap((d) => sourceFiles(path.join(root, d)))) {
      if (file.endsWith(path.join("lib", "deploy", "lifecycle.ts"))) continue;
      const text = readFileSync(file, "utf8");
      const raw = /UPDATE\s+"Deploy"\s+SET[^;`]*\bstatus\s*=/i.test(text) || /INSERT\s+INTO\s+"Deploy"/i.test(text);
      // A Prisma write to the deploy table whose data names a status.
      const prisma = [...text.matchAll(/\.deploy\.(update|updateMany|upsert|create|createMany)\(\s*\{[^;]{0,400}?\bdata:\s*\{[^}]*\bstatus\s*:/g)].length > 0;
      if (raw || prisma) writers.push(path.relative(root, file));
    }
    expect(writers).toEqual([]);
  });
});
