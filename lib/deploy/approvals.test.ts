import { beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "../auth/roles";
import { db, type Tx } from "../db/client";
import { ConflictError, ForbiddenError } from "../errors";
import { renderAlert } from "../alerts/message";
import type { DeployAlertPayload } from "../alerts/payload";
import { approveDeploy, deployEnvironment, expireApprovalRequests, rejectDeploy } from "./approvals";
import { claimDeploy, requestCancel } from "./lifecycle";
import { createDeployRequest } from "./requests";

const alice: Principal = { kind: "user", id: "u-appr-alice", email: "alice@approvals.test", name: null, role: "deployer" };
const bob: Principal = { kind: "user", id: "u-appr-bob", email: "bob@approvals.test", name: null, role: "deployer" };
/** A token alice created: it counts as alice. */
const aliceToken: Principal = { kind: "token", id: "t-appr-alice", name: "alice-ci", role: "deployer" };

async function newApp(name: string, approval = true): Promise<string> {
  const server = await db().server.create({
    data: { name: `${name}-srv`, host: "127.0.0.1", port: 22, username: "x", sshKey: { create: { name: `${name}-k`, publicKey: "p", fingerprint: `f-${name}`, encryptedPrivateKey: "x" } } },
    select: { id: true },
  });
  const app = await db().app.create({ data: { name, repoUrl: "/nowhere.git", deployPath: `/srv/${name}`, targets: { create: { serverId: server.id, position: 0 } } }, select: { id: true } });
  await db().environment.update({ where: { appId_name: { appId: app.id, name: "production" } }, data: { requireApproval: approval, approvalTtlMinutes: 30 } });
  return app.id;
}

const statusOf = async (id: string) => (await db().deploy.findUniqueOrThrow({ where: { id }, select: { status: true } })).status;
const inTx = <R>(fn: (tx: Tx) => Promise<R>) => db().$transaction(fn);

beforeAll(async () => {
  for (const u of [alice, bob]) if (u.kind === "user") await db().user.create({ data: { id: u.id, email: u.email, passwordHash: "x", role: "deployer" } });
  await db().apiToken.create({ data: { id: aliceToken.id, name: "alice-ci", tokenHash: "appr-hash", prefix: "dh_x", role: "deployer", createdById: alice.id, createdByUser: true } });
});

describe("approvals", () => {
  it("a request to an environment that requires approval waits, holds no lock, and is recorded against that environment", async () => {
    const appId = await newApp("appr-wait");
    const env = await deployEnvironment(db(), appId, null);
    expect(env).toMatchObject({ name: "production", requireApproval: true, approvalTtlMinutes: 30 });
    const a = await createDeployRequest(db(), appId, "main", alice);
    expect(a.status).toBe("awaiting_approval");
    const b = await createDeployRequest(db(), appId, "main", bob);
    expect(b.status).toBe("awaiting_approval");
    expect(await db().deploy.findUniqueOrThrow({ where: { id: a.id }, select: { environmentId: true } })).toEqual({ environmentId: env!.id });
    // No job would run it: a claim finds nothing queued.
    expect(await claimDeploy(db(), a.id)).toBeNull();
  });

  it("refuses the requester, and a token as its creator (and the creator for their token's request)", async () => {
    const appId = await newApp("appr-self");
    const byAlice = await createDeployRequest(db(), appId, "main", alice);
    await expect(inTx((tx) => approveDeploy(tx, byAlice.id, alice))).rejects.toThrow(new ForbiddenError("you cannot approve your own deploy: another deployer must approve or reject it"));
    await expect(inTx((tx) => approveDeploy(tx, byAlice.id, aliceToken))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(inTx((tx) => rejectDeploy(tx, byAlice.id, alice, "no"))).rejects.toBeInstanceOf(ForbiddenError);
    const byToken = await createDeployRequest(db(), appId, "main", aliceToken);
    await expect(inTx((tx) => approveDeploy(tx, byToken.id, alice))).rejects.toBeInstanceOf(ForbiddenError);
    expect(await statusOf(byAlice.id)).toBe("awaiting_approval");
  });

  it("approval queues it (taking the lock); while the app is locked it is refused naming the holder and stays awaiting", async () => {
    const appId = await newApp("appr-lock");
    const first = await createDeployRequest(db(), appId, "main", alice);
    const second = await createDeployRequest(db(), appId, "main", alice);
    await inTx((tx) => approveDeploy(tx, first.id, bob));
    const row = await db().deploy.findUniqueOrThrow({ where: { id: first.id }, select: { status: true, decidedByLabel: true, decidedAt: true } });
    expect(row).toMatchObject({ status: "queued", decidedByLabel: "bob@approvals.test" });
    expect(row.decidedAt).not.toBeNull();
    const refused = inTx((tx) => approveDeploy(tx, second.id, bob));
    await expect(refused).rejects.toBeInstanceOf(ConflictError);
    await expect(refused).rejects.toThrow(/appr-lock is locked: a deploy or rollback by alice@approvals.test/);
    expect(await statusOf(second.id)).toBe("awaiting_approval");
    await expect(inTx((tx) => approveDeploy(tx, first.id, bob))).rejects.toThrow("This deploy is not awaiting approval (it is queued)");
    await requestCancel(db(), first.id);
    await inTx((tx) => approveDeploy(tx, second.id, bob));
    expect(await statusOf(second.id)).toBe("queued");
    await requestCancel(db(), second.id);
  });

  it("rejection ends it with the reason", async () => {
    const appId = await newApp("appr-reject");
    const d = await createDeployRequest(db(), appId, "main", alice);
    await inTx((tx) => rejectDeploy(tx, d.id, bob, "not during the launch"));
    expect(await db().deploy.findUniqueOrThrow({ where: { id: d.id }, select: { status: true, error: true, rejectReason: true, decidedByLabel: true } })).toEqual({
      status: "rejected",
      error: "rejected by bob@approvals.test: not during the launch",
      rejectReason: "not during the launch",
      decidedByLabel: "bob@approvals.test",
    });
  });

  it("requests older than the environment's TTL expire, audited as the system, and can no longer be approved", async () => {
    const appId = await newApp("appr-expire");
    const old = await createDeployRequest(db(), appId, "main", alice);
    const fresh = await createDeployRequest(db(), appId, "main", alice);
    await db().deploy.update({ where: { id: old.id }, data: { createdAt: new Date(Date.now() - 31 * 60_000) } });
    await expect(inTx((tx) => approveDeploy(tx, old.id, bob))).rejects.toThrow(/This request expired: it waited longer than production's 30 minutes/);
    expect(await expireApprovalRequests(db())).toBeGreaterThanOrEqual(1);
    expect(await statusOf(old.id)).toBe("expired");
    expect(await statusOf(fresh.id)).toBe("awaiting_approval");
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "deploy.expire", targetId: old.id } });
    expect(event).toMatchObject({ actorType: "system", actorLabel: "worker", outcome: "success" });
    expect(await expireApprovalRequests(db())).toBe(0);
  });

  it("an app without approval still queues at once", async () => {
    const appId = await newApp("appr-none", false);
    const d = await createDeployRequest(db(), appId, "main", alice);
    expect(d.status).toBe("queued");
    await requestCancel(db(), d.id);
  });

  it("the request's alert links to the deploy page where it is approved", async () => {
    const payload: DeployAlertPayload = {
      event: "deploy.awaiting_approval",
      deploy: {
        id: "d1",
        kind: "deploy",
        status: "awaiting_approval",
        app: { id: "a1", name: "shop" },
        release: null,
        commit: null,
        by: "alice@approvals.test",
        error: null,
        startedAt: null,
        finishedAt: "2026-12-03T10:00:00.000Z",
        autoRolledBack: false,
      },
      at: "2026-12-03T10:00:00.000Z",
      detail: "awaiting approval",
      ref: "main",
      environment: "production",
    };
    const m = renderAlert(payload, "https://deckhand.example");
    expect(m.headline).toBe("✋ Deploy of shop is waiting for approval: main, requested by alice@approvals.test");
    expect(m.links).toEqual([{ label: "Approve or reject", url: "https://deckhand.example/apps/a1/deploys/d1" }]);
  });
});
