import { z } from "zod";
import type { Db, Tx } from "../db/client";
import { decryptSecret, encryptSecret } from "../crypto/secretbox";
import { ConflictError, NotFoundError, ValidationError } from "../errors";
import { hasRole, type Role } from "./roles";
import { newEnrolment, newRecoveryCodes, recoveryCodeHash, verifyTotp, type Enrolment } from "./totp";

export const TWO_FACTOR_POLICY_KEY = "auth.twoFactorRequired";
export const twoFactorPolicySchema = z.enum(["off", "admins", "everyone"]);
export type TwoFactorPolicy = z.infer<typeof twoFactorPolicySchema>;

export async function readTwoFactorPolicy(client: Db | Tx): Promise<TwoFactorPolicy> {
  const row = await client.setting.findUnique({ where: { key: TWO_FACTOR_POLICY_KEY } });
  const parsed = twoFactorPolicySchema.safeParse(row?.value);
  return parsed.success ? parsed.data : "off";
}

export async function writeTwoFactorPolicy(client: Db | Tx, policy: TwoFactorPolicy): Promise<void> {
  await client.setting.upsert({ where: { key: TWO_FACTOR_POLICY_KEY }, create: { key: TWO_FACTOR_POLICY_KEY, value: policy }, update: { value: policy } });
}

export function twoFactorRequired(policy: TwoFactorPolicy, role: Role): boolean {
  return policy === "everyone" || (policy === "admins" && hasRole(role, "admin"));
}

/** Where a signed-in browser stands: in, owing a code, or owing an enrolment (required and not set up). */
export type SessionStage = "active" | "second_factor" | "enrol";

export async function sessionStage(client: Db | Tx, session: { secondFactorAt: Date | null; user: { role: Role; twoFactorEnabled: boolean } }): Promise<SessionStage> {
  if (session.user.twoFactorEnabled) return session.secondFactorAt ? "active" : "second_factor";
  return twoFactorRequired(await readTwoFactorPolicy(client), session.user.role) ? "enrol" : "active";
}

export const codeSchema = z.string().trim().min(1, "Enter the code").max(40, "is too long");

async function secrets(client: Db | Tx, userId: string) {
  const user = await client.user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, totpEnabledAt: true, totpLastStep: true, totpSecretEncrypted: true, totpPendingSecretEncrypted: true },
  });
  if (!user) throw new NotFoundError("User");
  return user;
}

/** A new secret for the user to scan; it only takes effect once a code from it is confirmed. */
export async function startEnrolment(tx: Db | Tx, userId: string): Promise<Enrolment> {
  const user = await secrets(tx, userId);
  if (user.totpEnabledAt) throw new ConflictError("Two-factor sign-in is already on");
  const enrolment = await newEnrolment(user.email);
  await tx.user.update({ where: { id: userId }, data: { totpPendingSecretEncrypted: encryptSecret(enrolment.secret) } });
  return enrolment;
}

/** Confirms the pending secret with a code from it; returns the ten recovery codes (shown once). */
export async function confirmEnrolment(tx: Db | Tx, userId: string, code: string): Promise<string[]> {
  const user = await secrets(tx, userId);
  if (user.totpEnabledAt) throw new ConflictError("Two-factor sign-in is already on");
  if (!user.totpPendingSecretEncrypted) throw new ValidationError("Start the set-up first: no QR code was made for you yet");
  const secret = decryptSecret(user.totpPendingSecretEncrypted);
  const step = await verifyTotp({ secret, code });
  if (step === null) throw new ValidationError("code: that code is not right; type the 6 digits your app shows now");
  const codes = newRecoveryCodes();
  await tx.user.update({
    where: { id: userId },
    data: { totpSecretEncrypted: encryptSecret(secret), totpPendingSecretEncrypted: null, totpEnabledAt: new Date(), totpLastStep: step },
  });
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.recoveryCode.createMany({ data: codes.map((c) => ({ userId, codeHash: recoveryCodeHash(userId, c) })) });
  return codes;
}

export type SecondFactorResult = { ok: true; method: "totp" | "recovery_code"; recoveryCodesLeft: number } | { ok: false; reason: "wrong_code" | "replayed_code" | "not_enrolled" };

/**
 * A 6-digit code from the authenticator, or one of the recovery codes. Each is accepted once: a TOTP step is
 * claimed by a conditional UPDATE (a replay of the same or an older step finds nothing to claim), a recovery
 * code by marking it used where it was unused.
 */
export async function checkSecondFactor(client: Db, userId: string, code: string): Promise<SecondFactorResult> {
  const user = await secrets(client, userId);
  if (!user.totpEnabledAt || !user.totpSecretEncrypted) return { ok: false, reason: "not_enrolled" };
  const compact = code.replace(/\s+/g, "");
  if (/^\d+$/.test(compact)) {
    const secret = decryptSecret(user.totpSecretEncrypted);
    const step = await verifyTotp({ secret, code: compact, afterTimeStep: user.totpLastStep });
    if (step === null) {
      // The same code again is valid but no longer new: say so rather than "wrong".
      const replay = await verifyTotp({ secret, code: compact, afterTimeStep: null });
      return { ok: false, reason: replay !== null ? "replayed_code" : "wrong_code" };
    }
    const claimed = await client.$executeRaw`
      UPDATE "User" SET "totpLastStep" = ${step}
      WHERE "id" = ${userId} AND ("totpLastStep" IS NULL OR "totpLastStep" < ${step})`;
    if (claimed === 0) return { ok: false, reason: "replayed_code" };
    return { ok: true, method: "totp", recoveryCodesLeft: await recoveryCodesLeft(client, userId) };
  }
  const used = await client.recoveryCode.updateMany({
    where: { userId, codeHash: recoveryCodeHash(userId, code), usedAt: null },
    data: { usedAt: new Date() },
  });
  if (used.count === 0) return { ok: false, reason: "wrong_code" };
  return { ok: true, method: "recovery_code", recoveryCodesLeft: await recoveryCodesLeft(client, userId) };
}

export function recoveryCodesLeft(client: Db | Tx, userId: string): Promise<number> {
  return client.recoveryCode.count({ where: { userId, usedAt: null } });
}

/** Turns two-factor sign-in off for the user (their own choice, or an admin's reset); returns whether it was on. */
export async function removeTwoFactor(tx: Db | Tx, userId: string): Promise<boolean> {
  const user = await secrets(tx, userId);
  await tx.user.update({
    where: { id: userId },
    data: { totpSecretEncrypted: null, totpPendingSecretEncrypted: null, totpEnabledAt: null, totpLastStep: null },
  });
  await tx.recoveryCode.deleteMany({ where: { userId } });
  return user.totpEnabledAt !== null;
}
