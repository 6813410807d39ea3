import { z } from "zod";
import type { Role } from "../generated/prisma/enums";

export type { Role };
export const roleSchema = z.enum(["viewer", "deployer", "admin"]);

const rank: Record<Role, number> = { viewer: 0, deployer: 1, admin: 2 };

/** viewer < deployer < admin: each role can do everything the ones below it can. */
export function hasRole(actual: Role, required: Role): boolean {
  return rank[actual] >= rank[required];
}

/** The lower of two roles: what a token may do when its creator's role is now below the token's. */
export function lowerRole(a: Role, b: Role): Role {
  return rank[a] <= rank[b] ? a : b;
}

export type Principal = { kind: "user"; id: string; email: string; name: string | null; role: Role } | { kind: "token"; id: string; name: string; role: Role };

export function principalLabel(p: Principal): string {
  return p.kind === "user" ? p.email : `token ${p.name}`;
}
