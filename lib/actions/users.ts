import { z } from "zod";
import { db, type Db, type Tx } from "../db/client";
import { recordAudit, type RequestMeta } from "../audit/record";
import { NotFoundError, ValidationError } from "../errors";
import { createFirstAdmin, createUser, deleteUser, emailSchema, newUserSchema, passwordSchema, setDisabled, setPassword, setRole } from "../auth/users";
import { roleSchema } from "../auth/roles";
import { createApiToken, newTokenSchema, revokeApiToken } from "../auth/tokens";
import { unlockAccount } from "../auth/throttle";
import { endUserSessions } from "../auth/sessions";
import { readTwoFactorPolicy, removeTwoFactor, twoFactorPolicySchema, writeTwoFactorPolicy } from "../auth/two-factor";
import { defineAction, zodMessage } from "./core";

export const setupSchema = z.object({
  email: emailSchema,
  name: z.string().trim().max(100).optional(),
  password: passwordSchema,
});

/** The only action without a session: it works once, while no user exists. */
export async function completeSetup(raw: unknown, meta: RequestMeta) {
  const parsed = setupSchema.safeParse(raw);
  if (!parsed.success) throw new ValidationError(zodMessage(parsed.error));
  return db().$transaction(async (tx) => {
    const user = await createFirstAdmin(tx, parsed.data);
    await recordAudit(tx, {
      actor: { kind: "anonymous", label: user.email },
      meta,
      action: "user.create",
      target: { type: "user", id: user.id, name: user.email },
      outcome: "success",
      summary: { role: "admin", via: "setup" },
    });
    return user;
  });
}

export const createUserAction = defineAction({
  name: "user.create",
  permission: "manageUsers",
  input: newUserSchema,
  async handler(input, ctx) {
    const user = await createUser(ctx.tx, input);
    ctx.audit({ type: "user", id: user.id, name: user.email }, { role: user.role });
    return { id: user.id, email: user.email };
  },
});

const userIdSchema = z.object({ userId: z.string().min(1) });

export const setUserRoleAction = defineAction({
  name: "user.role_change",
  permission: "manageUsers",
  input: userIdSchema.extend({ role: roleSchema }),
  async handler(input, ctx) {
    const { before, after } = await setRole(ctx.tx, input.userId, input.role);
    ctx.audit({ type: "user", id: after.id, name: after.email }, { before: { role: before.role }, after: { role: after.role } });
    return { id: after.id };
  },
});

export const setUserPasswordAction = defineAction({
  name: "user.password_change",
  permission: "manageUsers",
  input: userIdSchema.extend({ password: passwordSchema }),
  async handler(input, ctx) {
    const { after } = await setPassword(ctx.tx, input.userId, input.password);
    ctx.audit({ type: "user", id: after.id, name: after.email }, { passwordChanged: true });
    return { id: after.id };
  },
});

export const setUserDisabledAction = defineAction({
  name: "user.disable",
  permission: "manageUsers",
  input: userIdSchema.extend({ disabled: z.boolean() }),
  async handler(input, ctx) {
    if (input.userId === ctx.principal.id && input.disabled) throw new ValidationError("You cannot disable your own account");
    const { before, after } = await setDisabled(ctx.tx, input.userId, input.disabled);
    ctx.audit({ type: "user", id: after.id, name: after.email }, { before: { disabled: before.disabled }, after: { disabled: after.disabled } });
    return { id: after.id };
  },
});

/**
 * PATCH /api/v1/users/{userId}: any of name, role, disabled, password, in one transaction. A change of role,
 * access or password ends the user's sessions; the last enabled admin keeps their role and access.
 */
export const updateUserAction = defineAction({
  name: "user.update",
  permission: "manageUsers",
  input: userIdSchema.extend({
    name: z.string().trim().max(100).nullable().optional(),
    role: roleSchema.optional(),
    disabled: z.boolean().optional(),
    password: passwordSchema.optional(),
  }),
  async handler(input, ctx) {
    const before = await ctx.tx.user.findUnique({ where: { id: input.userId }, select: { id: true, email: true, name: true, role: true, disabled: true } });
    if (!before) throw new NotFoundError("User");
    ctx.audit({ type: "user", id: before.id, name: before.email });
    if (input.userId === ctx.principal.id && input.disabled) throw new ValidationError("disabled: you cannot disable your own account");
    if (input.name !== undefined) await ctx.tx.user.update({ where: { id: input.userId }, data: { name: input.name || null } });
    if (input.role !== undefined && input.role !== before.role) await setRole(ctx.tx, input.userId, input.role);
    if (input.disabled !== undefined && input.disabled !== before.disabled) await setDisabled(ctx.tx, input.userId, input.disabled);
    if (input.password !== undefined) await setPassword(ctx.tx, input.userId, input.password);
    const after = await ctx.tx.user.findUniqueOrThrow({ where: { id: input.userId }, select: { id: true, email: true, name: true, role: true, disabled: true } });
    const seen = (u: typeof before) => ({ name: u.name, role: u.role, disabled: u.disabled });
    ctx.audit({ type: "user", id: after.id, name: after.email }, { before: seen(before), after: seen(after), ...(input.password !== undefined ? { passwordChanged: true } : {}) });
    return after;
  },
});

/**
 * Deletes a user: never yourself, never the last enabled admin. Their audit events stay as written (actor id
 * and email in each), so the history is still attributed and the chain still verifies.
 */
export const deleteUserAction = defineAction({
  name: "user.delete",
  permission: "manageUsers",
  input: userIdSchema,
  async handler(input, ctx) {
    const target = await findUser(ctx, input.userId);
    // Named before anything can refuse, so a refused delete's event says whose it was.
    ctx.audit({ type: "user", id: target.id, name: target.email });
    if (input.userId === ctx.principal.id) throw new ValidationError("You cannot delete your own account");
    const { user, sessionsEnded, tokensRevoked } = await deleteUser(ctx.tx, input.userId);
    // "revokedApiCredentials": a key holding "token" would be redacted from the event as a secret.
    ctx.audit({ type: "user", id: user.id, name: user.email }, { role: user.role, name: user.name, sessionsEnded, revokedApiCredentials: tokensRevoked });
    return { id: user.id, deleted: true as const };
  },
});

export const createTokenAction = defineAction({
  name: "token.create",
  permission: "manageTokens",
  input: newTokenSchema,
  async handler(input, ctx) {
    const created = await createApiToken(ctx.tx, { ...input, createdById: ctx.principal.kind === "user" ? ctx.principal.id : null });
    ctx.audit({ type: "token", id: created.id, name: created.name }, { role: created.role, prefix: created.prefix, expiresAt: created.expiresAt });
    return created;
  },
});

export const revokeTokenAction = defineAction({
  name: "token.revoke",
  permission: "manageTokens",
  input: z.object({ tokenId: z.string().min(1) }),
  async handler(input, ctx) {
    const row = await revokeApiToken(ctx.tx, input.tokenId);
    ctx.audit({ type: "token", id: row.id, name: row.name });
    return { id: row.id };
  },
});

async function findUser(ctx: { tx: Tx | Db }, userId: string) {
  const user = await ctx.tx.user.findUnique({ where: { id: userId }, select: { id: true, email: true } });
  if (!user) throw new NotFoundError("User");
  return user;
}

export const unlockUserAction = defineAction({
  name: "user.unlock",
  permission: "manageUsers",
  input: userIdSchema,
  async handler(input, ctx) {
    const user = await findUser(ctx, input.userId);
    const wasLocked = await unlockAccount(ctx.tx, user.email, user.id);
    ctx.audit({ type: "user", id: user.id, name: user.email }, { hadFailures: wasLocked });
    return { id: user.id };
  },
});

/** For a user who lost their authenticator: their second factor and recovery codes go, and so do their sessions. */
export const resetTwoFactorAction = defineAction({
  name: "two_factor.reset",
  permission: "manageUsers",
  input: userIdSchema,
  async handler(input, ctx) {
    const user = await findUser(ctx, input.userId);
    const wasOn = await removeTwoFactor(ctx.tx, user.id);
    const sessionsEnded = await endUserSessions(ctx.tx, user.id, "two_factor_reset");
    ctx.audit({ type: "user", id: user.id, name: user.email }, { wasOn, sessionsEnded });
    return { id: user.id };
  },
});

export const setTwoFactorPolicyAction = defineAction({
  name: "settings.two_factor",
  permission: "manageSettings",
  input: z.object({ policy: twoFactorPolicySchema }),
  async handler(input, ctx) {
    const before = await readTwoFactorPolicy(ctx.tx);
    await writeTwoFactorPolicy(ctx.tx, input.policy);
    ctx.audit({ type: "setting", id: "auth.twoFactorRequired", name: "two-factor sign-in required" }, { before, after: input.policy });
    return { policy: input.policy };
  },
});
