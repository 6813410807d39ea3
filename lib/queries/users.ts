import { db } from "../db/client";
import { accountLocks } from "../auth/throttle";
import { readTwoFactorPolicy } from "../auth/two-factor";

export async function listUsers() {
  const rows = await db().user.findMany({
    orderBy: { createdAt: "asc" },
    select: { id: true, email: true, name: true, role: true, disabled: true, createdAt: true, totpEnabledAt: true },
  });
  const locks = await accountLocks(
    db(),
    rows.map((u) => u.email),
  );
  return rows.map(({ totpEnabledAt, ...u }) => ({
    ...u,
    createdAt: u.createdAt.getTime(),
    twoFactor: totpEnabledAt !== null,
    lockedUntil: locks.get(u.email)?.getTime() ?? null,
  }));
}
export type UserListRow = Awaited<ReturnType<typeof listUsers>>[number];

export async function listApiTokens() {
  const rows = await db().apiToken.findMany({
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      name: true,
      role: true,
      prefix: true,
      createdAt: true,
      expiresAt: true,
      lastUsedAt: true,
      lastUsedIp: true,
      revokedAt: true,
      createdByUser: true,
      createdBy: { select: { email: true } },
    },
  });
  return rows.map((t) => ({
    ...t,
    createdAt: t.createdAt.getTime(),
    expiresAt: t.expiresAt?.getTime() ?? null,
    lastUsedAt: t.lastUsedAt?.getTime() ?? null,
    revokedAt: t.revokedAt?.getTime() ?? null,
  }));
}
export type ApiTokenRow = Awaited<ReturnType<typeof listApiTokens>>[number];

export function getTwoFactorPolicy() {
  return readTwoFactorPolicy(db());
}
