import { z } from "zod";
import type { Db, Tx } from "../db/client";
import { ConflictError, NotFoundError } from "../errors";
import { hashPassword } from "./password";
import { roleSchema, type Role } from "./roles";
import { endUserSessions, type EndReason } from "./sessions";

export const emailSchema = z.string().trim().toLowerCase().email("must be an email address").max(254);
export const passwordSchema = z.string().min(10, "must be at least 10 characters").max(200, "must be at most 200 characters");

export const newUserSchema = z.object({
  email: emailSchema,
  name: z.string().trim().max(100).optional(),
  password: passwordSchema,
  role: roleSchema.default("viewer"),
});

const SETUP_LOCK = 0x5e7_0b;

export async function createUser(tx: Tx | Db, input: z.infer<typeof newUserSchema>) {
  const existing = await tx.user.findUnique({ where: { email: input.email }, select: { id: true } });
  if (existing) throw new ConflictError(`A user with email ${input.email} already exists`);
  return tx.user.create({
    data: { email: input.email, name: input.name || null, role: input.role, passwordHash: await hashPassword(input.password) },
    select: { id: true, email: true, name: true, role: true },
  });
}

/** The one-time setup: creates the first admin, and refuses once any user exists (even under a race). */
export async function createFirstAdmin(tx: Tx, input: { email: string; password: string; name?: string }) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SETUP_LOCK})`;
  if ((await tx.user.count()) > 0) throw new ConflictError("Setup is already complete: sign in instead");
  return createUser(tx, { ...input, role: "admin" });
}

export async function userCount(client: Db): Promise<number> {
  return client.user.count();
}

/**
 * Each of these ends the user's existing sessions: it bumps sessionVersion (every cookie issued before is
 * dead) and ends the session records, so the own-account page and the audit agree.
 */
export async function setPassword(client: Tx | Db, userId: string, password: string) {
  return changeUser(client, userId, { passwordHash: await hashPassword(password) }, "password_change");
}

export async function setRole(client: Tx | Db, userId: string, role: Role) {
  return changeUser(client, userId, { role }, "role_change");
}

export async function setDisabled(client: Tx | Db, userId: string, disabled: boolean) {
  return changeUser(client, userId, { disabled }, "disabled");
}

/** The user's own password change: their other sessions end, the one asking stays signed in. */
export async function changeOwnPassword(tx: Tx | Db, userId: string, sessionId: string, password: string): Promise<number> {
  await tx.user.update({ where: { id: userId }, data: { passwordHash: await hashPassword(password) } });
  return endUserSessions(tx, userId, "password_change", sessionId);
}

type UserChange = { passwordHash?: string; role?: Role; disabled?: boolean };

function isTransaction(client: Tx | Db): client is Tx {
  return !("$transaction" in client);
}

async function changeUser(client: Tx | Db, userId: string, data: UserChange, reason: EndReason) {
  if (isTransaction(client)) return changeUserIn(client, userId, data, reason);
  return client.$transaction((tx) => changeUserIn(tx, userId, data, reason));
}

/** Any constant: every change that could take away an admin takes it, so two such changes never interleave. */
const ADMIN_LOCK = 0x0ad_0111;

export class LastAdminError extends ConflictError {
  constructor(email: string, change: "demote" | "disable" | "delete") {
    const what = { demote: "given another role", disable: "disabled", delete: "deleted" }[change];
    super(`${email} is the last enabled admin, so they cannot be ${what}: make someone else an admin first`);
  }
}

/**
 * Refuses to leave no enabled admin. Under a transaction-scoped lock, so two admins demoting each other at
 * the same moment are serialised and the second finds the first already demoted.
 */
async function keepAnAdmin(tx: Tx, userId: string, data: UserChange, deleting = false): Promise<void> {
  const removesAdmin = deleting || (data.role !== undefined && data.role !== "admin") || data.disabled === true;
  if (!removesAdmin) return;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ADMIN_LOCK})`;
  const target = await tx.user.findUnique({ where: { id: userId }, select: { email: true, role: true, disabled: true } });
  if (!target || target.role !== "admin" || target.disabled) return;
  const others = await tx.user.count({ where: { role: "admin", disabled: false, id: { not: userId } } });
  if (others === 0) throw new LastAdminError(target.email, deleting ? "delete" : data.disabled ? "disable" : "demote");
}

/**
 * Deletes a user, under the same last-admin rule as a demotion. Their sessions and recovery codes go with
 * them; the tokens they made are revoked (they would be refused anyway, their creator being gone), and their
 * deploys keep `actorLabel`. Audit events are never touched: they hold the actor's id and email as written,
 * so the history stays attributed and the hash chain unchanged.
 */
export async function deleteUser(client: Tx | Db, userId: string) {
  const run = async (tx: Tx) => {
    await keepAnAdmin(tx, userId, {}, true);
    const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, email: true, name: true, role: true } });
    if (!user) throw new NotFoundError("User");
    // Their session rows go with them (cascade), and a cookie without its row is signed out.
    const sessionsEnded = await tx.session.count({ where: { userId, endedAt: null } });
    const tokens = await tx.apiToken.updateMany({ where: { createdById: userId, revokedAt: null }, data: { revokedAt: new Date() } });
    await tx.user.delete({ where: { id: userId } });
    return { user, sessionsEnded, tokensRevoked: tokens.count };
  };
  return isTransaction(client) ? run(client) : client.$transaction(run);
}

async function changeUserIn(tx: Tx, userId: string, data: UserChange, reason: EndReason) {
  await keepAnAdmin(tx, userId, data);
  const before = await tx.user.findUnique({ where: { id: userId }, select: { id: true, email: true, role: true, disabled: true } });
  if (!before) throw new NotFoundError("User");
  const after = await tx.user.update({
    where: { id: userId },
    data: { ...data, sessionVersion: { increment: 1 } },
    select: { id: true, email: true, role: true, disabled: true },
  });
  const sessionsEnded = await endUserSessions(tx, userId, reason);
  return { before, after, sessionsEnded };
}
