import { describe, expect, it } from "vitest";
import { db } from "../db/client";
import { ConflictError } from "../errors";
import type { Principal } from "../auth/roles";
import { setDisabled, setRole } from "../auth/users";
import { runAction } from "./core";
import { deleteUserAction, setUserDisabledAction, setUserRoleAction, updateUserAction } from "./users";

const meta = { ip: "127.0.0.1", userAgent: "vitest" };

async function admin(tag: string) {
  const u = await db().user.create({ data: { email: `${tag}-${Math.random().toString(36).slice(2, 8)}@example.test`, passwordHash: "x", role: "admin" } });
  const principal: Principal = { kind: "user", id: u.id, email: u.email, name: null, role: "admin" };
  return { ...u, principal };
}

async function enabledAdmins(): Promise<number> {
  return db().user.count({ where: { role: "admin", disabled: false } });
}

describe("Deckhand keeps at least one enabled admin", () => {
  it("refuses to demote or disable the last one, with a clear message", async () => {
    await db().user.deleteMany();
    const only = await admin("only");
    await expect(setRole(db(), only.id, "deployer")).rejects.toThrow(/is the last enabled admin, so they cannot be given another role: make someone else an admin first/);
    await expect(setDisabled(db(), only.id, true)).rejects.toBeInstanceOf(ConflictError);
    expect(await enabledAdmins()).toBe(1);
    // A disabled admin does not count; a second enabled one does.
    const second = await admin("second");
    await runAction(setUserRoleAction, second.principal, { userId: only.id, role: "viewer" }, meta);
    await expect(runAction(setUserDisabledAction, second.principal, { userId: second.id, disabled: true }, meta)).rejects.toThrow(/own account/);
    await expect(runAction(setUserRoleAction, second.principal, { userId: second.id, role: "viewer" }, meta)).rejects.toThrow(/last enabled admin/);
    const refused = await db().auditEvent.findFirst({ where: { action: "user.role_change", actorId: second.id }, orderBy: { id: "desc" } });
    expect(refused).toMatchObject({ outcome: "failure", summary: { error: expect.stringMatching(/last enabled admin/) } });
  });

  it("refuses to delete the last one (409), even for an admin token, and audits the refusal naming them", async () => {
    await db().user.deleteMany();
    const only = await admin("only");
    const cli: Principal = { kind: "token", id: "t-cli", name: "cli", role: "admin" };
    const err = await runAction(deleteUserAction, cli, { userId: only.id }, meta).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as Error).message).toMatch(/is the last enabled admin, so they cannot be deleted/);
    await expect(runAction(updateUserAction, cli, { userId: only.id, disabled: true }, meta)).rejects.toThrow(/last enabled admin/);
    expect(await db().user.count({ where: { id: only.id } })).toBe(1);
    const refused = await db().auditEvent.findFirst({ where: { action: "user.delete", targetId: only.id }, orderBy: { id: "desc" } });
    expect(refused).toMatchObject({ outcome: "failure", targetName: only.email, summary: { error: expect.stringMatching(/last enabled admin/) } });
    // With a second enabled admin, the first can go.
    const second = await admin("second");
    await runAction(deleteUserAction, second.principal, { userId: only.id }, meta);
    expect(await enabledAdmins()).toBe(1);
  });

  it("two admins deleting each other at the same moment leave one admin, every time", async () => {
    for (let round = 0; round < 5; round++) {
      await db().user.deleteMany();
      const a = await admin("a");
      const b = await admin("b");
      const results = await Promise.allSettled([runAction(deleteUserAction, a.principal, { userId: b.id }, meta), runAction(deleteUserAction, b.principal, { userId: a.id }, meta)]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(await enabledAdmins()).toBe(1);
    }
  });

  it("two admins demoting (or disabling) each other at the same moment leave one admin, every time", async () => {
    for (let round = 0; round < 10; round++) {
      await db().user.deleteMany();
      const a = await admin("a");
      const b = await admin("b");
      const results = await Promise.allSettled(
        round % 2 === 0
          ? [runAction(setUserRoleAction, a.principal, { userId: b.id, role: "deployer" }, meta), runAction(setUserRoleAction, b.principal, { userId: a.id, role: "deployer" }, meta)]
          : [runAction(setUserDisabledAction, a.principal, { userId: b.id, disabled: true }, meta), runAction(setUserDisabledAction, b.principal, { userId: a.id, disabled: true }, meta)],
      );
      expect(
        results.filter((r) => r.status === "fulfilled"),
        `round ${round}`,
      ).toHaveLength(1);
      const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(rejected.reason).toBeInstanceOf(ConflictError);
      expect(await enabledAdmins()).toBe(1);
    }
  });
});
