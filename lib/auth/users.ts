import { z } from "zod";
import type { Db, Tx } from "../db/client";
import { ConflictError, NotFoundError } from "../errors";
import { hashPassword } from "./password";
import { roleSchema, type Role } from "./roles";

export const emailSchema = z.string().trim().toLowerCase().email("must be an email address").max(254);
export const passwordSchema = z
  .string()
  .min(10, "must be at least 10 characters")
  .max(200, "must be at most 200 characters");

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

/** Each of these ends the user's existing sessions by bumping sessionVersion. */
export async function setPassword(tx: Tx | Db, userId: string, password: string) {
  return bump(tx, userId, { passwordHash: await hashPassword(password) });
}

export async function setRole(tx: Tx | Db, userId: string, role: Role) {
  return bump(tx, userId, { role });
}

export async function setDisabled(tx: Tx | Db, userId: string, disabled: boolean) {
  return bump(tx, userId, { disabled });
}

async function bump(tx: Tx | Db, userId: string, data: { passwordHash?: string; role?: Role; disabled?: boolean }) {
  const before = await tx.user.findUnique({ where: { id: userId }, select: { id: true, email: true, role: true, disabled: true } });
  if (!before) throw new NotFoundError("User");
  const after = await tx.user.update({
    where: { id: userId },
    data: { ...data, sessionVersion: { increment: 1 } },
    select: { id: true, email: true, role: true, disabled: true },
  });
  return { before, after };
}
