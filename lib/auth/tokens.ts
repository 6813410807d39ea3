import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import type { Db, Tx } from "../db/client";
import { NotFoundError } from "../errors";
import { roleSchema, type Principal, type Role } from "./roles";

export const newTokenSchema = z.object({
  name: z.string().trim().min(1, "is required").max(60).regex(/^[\w .:-]+$/, "may use letters, digits, space, . : _ -"),
  role: roleSchema,
});

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Returns the token once; only its SHA-256 is stored (a 256-bit random token needs no slow hash). */
export async function createApiToken(tx: Tx | Db, input: { name: string; role: Role; createdById?: string | null }) {
  const token = `dh_${randomBytes(32).toString("base64url")}`;
  const row = await tx.apiToken.create({
    data: { name: input.name, role: input.role, tokenHash: hashToken(token), prefix: token.slice(0, 10), createdById: input.createdById ?? null },
    select: { id: true, name: true, role: true, prefix: true, createdAt: true },
  });
  return { ...row, token };
}

export async function revokeApiToken(tx: Tx | Db, id: string) {
  const row = await tx.apiToken.findUnique({ where: { id }, select: { id: true, name: true, revokedAt: true } });
  if (!row) throw new NotFoundError("API token");
  if (!row.revokedAt) await tx.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
  return row;
}

export async function authenticateToken(client: Db, bearer: string): Promise<Principal | null> {
  if (!bearer.startsWith("dh_")) return null;
  const row = await client.apiToken.findUnique({ where: { tokenHash: hashToken(bearer) } });
  if (!row || row.revokedAt) return null;
  // Touch at most once a minute so every API call is not a write.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await client.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return { kind: "token", id: row.id, name: row.name, role: row.role };
}
