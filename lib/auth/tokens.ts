import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import type { Db, Tx } from "../db/client";
import { NotFoundError } from "../errors";
import { lowerRole, roleSchema, type Principal, type Role } from "./roles";

/** What the browser offers; the action takes any whole number of days in range, or null for no expiry. */
export const TOKEN_EXPIRY_CHOICES = [30, 90, 180, 365] as const;
export const DEFAULT_TOKEN_EXPIRY_DAYS = 90;

export const newTokenSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, "is required")
    .max(60)
    .regex(/^[\w .:-]+$/, "may use letters, digits, space, . : _ -"),
  role: roleSchema,
  expiresInDays: z.number().int("must be a whole number of days").min(1, "must be at least 1 day").max(3650, "must be at most 3650 days").nullable().optional(),
});

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Returns the token once; only its SHA-256 is stored (a 256-bit random token needs no slow hash). */
export async function createApiToken(tx: Tx | Db, input: { name: string; role: Role; createdById?: string | null; expiresInDays?: number | null; expiresAt?: Date | null }) {
  const token = `dh_${randomBytes(32).toString("base64url")}`;
  const expiresAt = input.expiresAt ?? (input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null);
  const row = await tx.apiToken.create({
    data: {
      name: input.name,
      role: input.role,
      tokenHash: hashToken(token),
      prefix: token.slice(0, 10),
      createdById: input.createdById ?? null,
      createdByUser: !!input.createdById,
      expiresAt,
    },
    select: { id: true, name: true, role: true, prefix: true, createdAt: true, expiresAt: true },
  });
  return { ...row, token };
}

export async function revokeApiToken(tx: Tx | Db, id: string) {
  const row = await tx.apiToken.findUnique({ where: { id }, select: { id: true, name: true, revokedAt: true } });
  if (!row) throw new NotFoundError("API token");
  if (!row.revokedAt) await tx.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
  return row;
}

/** Touch at most once a minute (or when the address changes), so every API call is not a write. */
const TOUCH_MS = 60_000;

/**
 * The principal a bearer token stands for, or null. A token never does more than its creator could do now:
 * its role is capped by the creator's current role, and a token whose creator is disabled or gone is refused.
 * Tokens made with the CLI have no creator and keep their own role.
 */
export async function authenticateToken(client: Db, bearer: string, ip: string | null = null): Promise<Principal | null> {
  if (!bearer.startsWith("dh_")) return null;
  const row = await client.apiToken.findUnique({
    where: { tokenHash: hashToken(bearer) },
    select: {
      id: true,
      name: true,
      role: true,
      revokedAt: true,
      expiresAt: true,
      lastUsedAt: true,
      lastUsedIp: true,
      createdByUser: true,
      createdBy: { select: { role: true, disabled: true } },
    },
  });
  const now = new Date();
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) return null;
  let role = row.role;
  if (row.createdByUser) {
    if (!row.createdBy || row.createdBy.disabled) return null;
    role = lowerRole(row.role, row.createdBy.role);
  }
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > TOUCH_MS || (ip && ip !== row.lastUsedIp)) {
    await client.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now, ...(ip ? { lastUsedIp: ip } : {}) } });
  }
  return { kind: "token", id: row.id, name: row.name, role };
}
