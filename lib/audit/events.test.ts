import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { db } from "../db/client";
import { defineAction, runAction } from "../actions/core";
import { completeSetup, createTokenAction, createUserAction, revokeTokenAction, setUserDisabledAction, setUserPasswordAction, setUserRoleAction } from "../actions/users";
import { verifyAuditChainAction } from "../actions/audit";
import { authOptions } from "../auth/options";
import { createUser } from "../auth/users";
import { createApiToken } from "../auth/tokens";
import type { Principal } from "../auth/roles";
import { ConflictError, ForbiddenError } from "../errors";
import { allAuditEventsAsText, auditEventsAfter, expectOneAuditEvent, lastAuditId, type ExpectedAuditEvent } from "./testing";
import { verifyAuditChain } from "./verify";

/**
 * Issue 5: "each listed action writes exactly one event", as a table. Rooms that add actions (servers, keys,
 * apps, secrets, deploys, monitors, channels) add rows here, or build the same kind of table with
 * expectOneAuditEvent from ./testing.
 */
const meta = { ip: "203.0.113.7", userAgent: "vitest-audit" };
const ADMIN_PASSWORD = "admin-password-Zq9!xk";
const NEW_USER_PASSWORD = "new-user-password-Pw3#vv";
const CHANGED_PASSWORD = "changed-password-Kk7$ww";
const WRONG_PASSWORD = "wrong-password-Yy5%uu";
/** Every secret the tests below hand to an action; none may appear in any column of any event. */
const secretsUsed: string[] = [ADMIN_PASSWORD, NEW_USER_PASSWORD, CHANGED_PASSWORD, WRONG_PASSWORD];

type Admin = Extract<Principal, { kind: "user" }>;
let admin: Admin;
let viewer: Admin;

interface Fixtures {
  userId: string;
  userEmail: string;
  tokenId: string;
}
const fixtures = {} as Fixtures;

interface AuditedCase {
  name: string;
  run: () => Promise<unknown>;
  expected: (result: unknown) => ExpectedAuditEvent;
}

const asAdmin = (): Partial<ExpectedAuditEvent> => ({ actorType: "user", actorId: admin.id, actorLabel: admin.email, actorRole: "admin", ip: meta.ip, userAgent: meta.userAgent });

function credentialsAuthorize() {
  const provider = authOptions().providers[0] as unknown as {
    options: { authorize(credentials: Record<string, string>, req: { headers: Record<string, string> }): Promise<unknown> };
  };
  return (email: string, password: string) => provider.options.authorize({ email, password }, { headers: { "x-deckhand-client-ip": meta.ip, "user-agent": meta.userAgent } });
}

const cases: AuditedCase[] = [
  {
    name: "sign-in success",
    run: () => credentialsAuthorize()(admin.email, ADMIN_PASSWORD),
    expected: () => ({ action: "auth.signin", outcome: "success", ...asAdmin(), targetType: "user", targetId: admin.id }),
  },
  {
    name: "sign-in failure",
    run: () => credentialsAuthorize()(admin.email, WRONG_PASSWORD),
    expected: () => ({ action: "auth.signin", outcome: "failure", actorType: "anonymous", actorLabel: admin.email, actorId: null, ip: meta.ip, summary: { reason: "wrong_password" } }),
  },
  {
    name: "sign-out",
    run: async () => {
      await authOptions().events!.signOut!({ token: { uid: admin.id }, session: null } as never);
    },
    expected: () => ({ action: "auth.signout", outcome: "success", actorType: "user", actorId: admin.id, targetId: admin.id }),
  },
  {
    name: "user created",
    run: () => runAction(createUserAction, admin, { email: "Dora@Example.com", password: NEW_USER_PASSWORD, role: "deployer" }, meta),
    expected: (r) => ({ action: "user.create", outcome: "success", ...asAdmin(), targetType: "user", targetId: (r as { id: string }).id, targetName: "dora@example.com", summary: { role: "deployer" } }),
  },
  {
    name: "role changed",
    run: () => runAction(setUserRoleAction, admin, { userId: fixtures.userId, role: "admin" }, meta),
    expected: () => ({ action: "user.role_change", outcome: "success", ...asAdmin(), targetType: "user", targetId: fixtures.userId, summary: { before: { role: "viewer" }, after: { role: "admin" } } }),
  },
  {
    name: "password changed",
    run: () => runAction(setUserPasswordAction, admin, { userId: fixtures.userId, password: CHANGED_PASSWORD }, meta),
    expected: () => ({ action: "user.password_change", outcome: "success", ...asAdmin(), targetType: "user", targetId: fixtures.userId, summary: { passwordChanged: true } }),
  },
  {
    name: "user disabled",
    run: () => runAction(setUserDisabledAction, admin, { userId: fixtures.userId, disabled: true }, meta),
    expected: () => ({ action: "user.disable", outcome: "success", ...asAdmin(), targetId: fixtures.userId, summary: { before: { disabled: false }, after: { disabled: true } } }),
  },
  {
    name: "token created",
    run: async () => {
      const created = await runAction(createTokenAction, admin, { name: "ci", role: "deployer" }, meta);
      secretsUsed.push(created.token);
      return created;
    },
    expected: (r) => ({ action: "token.create", outcome: "success", ...asAdmin(), targetType: "token", targetId: (r as { id: string }).id, targetName: "ci", summary: { role: "deployer" } }),
  },
  {
    name: "token revoked",
    run: () => runAction(revokeTokenAction, admin, { tokenId: fixtures.tokenId }, meta),
    expected: () => ({ action: "token.revoke", outcome: "success", ...asAdmin(), targetType: "token", targetId: fixtures.tokenId }),
  },
  {
    name: "audit chain verified (Verify now)",
    run: () => runAction(verifyAuditChainAction, admin, {}, meta),
    expected: () => ({ action: "audit.verify", outcome: "success", ...asAdmin(), targetType: "audit", targetName: "chain", summary: { ok: true } }),
  },
  {
    name: "403 for a deployer (Verify now)",
    run: () => runAction(verifyAuditChainAction, { ...viewer, role: "deployer" }, {}, meta),
    expected: () => ({ action: "audit.verify", outcome: "denied", actorId: viewer.id, actorRole: "deployer" }),
  },
  {
    name: "403 for a viewer (user create)",
    run: () => runAction(createUserAction, viewer, { email: "eve@example.com", password: NEW_USER_PASSWORD, role: "admin" }, meta),
    expected: () => ({ action: "user.create", outcome: "denied", actorType: "user", actorId: viewer.id, actorRole: "viewer", summary: { requiredRole: "admin", status: 403 } }),
  },
  {
    name: "403 for a viewer (token revoke)",
    run: () => runAction(revokeTokenAction, viewer, { tokenId: fixtures.tokenId }, meta),
    expected: () => ({ action: "token.revoke", outcome: "denied", actorId: viewer.id }),
  },
  {
    name: "invalid input is a failure event",
    run: () => runAction(createUserAction, admin, { email: "not-an-email", password: NEW_USER_PASSWORD }, meta),
    expected: () => ({ action: "user.create", outcome: "failure", ...asAdmin() }),
  },
];

describe("setup", () => {
  it("setup (the first admin) writes one user.create event with the new admin as actor", async () => {
    const { result, event } = await expectOneAuditEvent(() => completeSetup({ email: "Admin@Example.com", password: ADMIN_PASSWORD }, meta), {
      action: "user.create",
      outcome: "success",
      actorType: "anonymous",
      actorLabel: "admin@example.com",
      targetType: "user",
      targetName: "admin@example.com",
      ip: meta.ip,
      summary: { role: "admin", via: "setup" },
    });
    expect(event.targetId).toBe(result!.id);
    admin = { kind: "user", id: result!.id, email: result!.email, name: null, role: "admin" };
  });
});

describe("every audited action writes exactly one event", () => {
  beforeAll(async () => {
    // The rows the table's changes act on, made without actions so they write no events of their own.
    await completeSetupIfNeeded();
    const target = await createUser(db(), { email: "target@example.com", password: "target-password-1", role: "viewer" });
    const v = await createUser(db(), { email: "viewer@example.com", password: "viewer-password-1", role: "viewer" });
    const token = await createApiToken(db(), { name: "old-ci", role: "deployer" });
    secretsUsed.push(token.token);
    fixtures.userId = target.id;
    fixtures.userEmail = target.email;
    fixtures.tokenId = token.id;
    viewer = { kind: "user", id: v.id, email: v.email, name: null, role: "viewer" };
  });

  for (const c of cases) {
    it(c.name, async () => {
      await expectOneAuditEvent(c.run, c.expected);
    });
  }

  it("a handler that throws after changing rows leaves no change, a failure event and no success event", async () => {
    const failing = defineAction({
      name: "test.half_done",
      permission: "manageUsers",
      input: z.object({ email: z.string() }),
      async handler(input, ctx) {
        const user = await createUser(ctx.tx, { email: input.email, password: NEW_USER_PASSWORD, role: "viewer" });
        ctx.audit({ type: "user", id: user.id, name: user.email });
        throw new ConflictError("the second half failed");
      },
    });
    const { error, event } = await expectOneAuditEvent(() => runAction(failing, admin, { email: "half@example.com" }, meta), {
      action: "test.half_done",
      outcome: "failure",
      ...asAdmin(),
      targetType: "user",
      targetName: "half@example.com",
      summary: { error: "the second half failed" },
    });
    expect(error).toBeInstanceOf(ConflictError);
    expect(event.outcome).toBe("failure");
    expect(await db().user.findUnique({ where: { email: "half@example.com" } })).toBeNull();
  });

  it("an unexpected error is recorded as a failure without its internal message", async () => {
    const crashing = defineAction({
      name: "test.crash",
      permission: "deploy",
      input: z.object({}),
      async handler() {
        throw new Error("connection string postgres://u:hunter2@db leaked?");
      },
    });
    const { event } = await expectOneAuditEvent(() => runAction(crashing, admin, {}, meta), { action: "test.crash", outcome: "failure", summary: { error: "internal error" } });
    expect(JSON.stringify(event.summary)).not.toContain("hunter2");
  });

  it("a refused change (duplicate user) writes a failure event and no success event", async () => {
    const before = await lastAuditId();
    await expect(runAction(createUserAction, admin, { email: "target@example.com", password: NEW_USER_PASSWORD }, meta)).rejects.toBeInstanceOf(ConflictError);
    const events = await auditEventsAfter(before);
    expect(events.map((e) => e.outcome)).toEqual(["failure"]);
  });

  it("a 403 throws ForbiddenError and the change does not happen", async () => {
    await expect(runAction(createUserAction, viewer, { email: "mallory@example.com", password: NEW_USER_PASSWORD }, meta)).rejects.toBeInstanceOf(ForbiddenError);
    expect(await db().user.findUnique({ where: { email: "mallory@example.com" } })).toBeNull();
  });

  it("no password or token used above appears in any column of any event, and the chain is intact", async () => {
    const text = await allAuditEventsAsText();
    expect(text.length).toBeGreaterThan(1000);
    expect(secretsUsed.length).toBeGreaterThanOrEqual(6);
    for (const secret of secretsUsed) expect(text).not.toContain(secret);
    const verified = await verifyAuditChain();
    expect(verified).toMatchObject({ ok: true });
  });
});

/** The setup suite runs first and makes the admin; this only matters when a single test is picked with -t. */
async function completeSetupIfNeeded() {
  if (admin) return;
  const user = await completeSetup({ email: "admin@example.com", password: ADMIN_PASSWORD }, meta);
  admin = { kind: "user", id: user.id, email: user.email, name: null, role: "admin" };
}
