import { db } from "../db/client";

export async function listUsers() {
  const rows = await db().user.findMany({
    orderBy: { createdAt: "asc" },
    select: { id: true, email: true, name: true, role: true, disabled: true, createdAt: true },
  });
  return rows.map((u) => ({ ...u, createdAt: u.createdAt.getTime() }));
}
export type UserListRow = Awaited<ReturnType<typeof listUsers>>[number];

export async function listApiTokens() {
  const rows = await db().apiToken.findMany({
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, role: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true, createdBy: { select: { email: true } } },
  });
  return rows.map((t) => ({ ...t, createdAt: t.createdAt.getTime(), lastUsedAt: t.lastUsedAt?.getTime() ?? null, revokedAt: t.revokedAt?.getTime() ?? null }));
}
