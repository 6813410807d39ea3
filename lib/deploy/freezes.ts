import type { Principal } from "../auth/roles";
import { hasRole } from "../auth/roles";
import type { Db, Tx } from "../db/client";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../errors";
import type { ResolvedEnvironment } from "../apps/environments";
import type { DeployRequester } from "./lifecycle";

/** An admin's reason for deploying into a frozen environment anyway. */
export interface FreezeOverride {
  reason: string;
}

export async function activeFreeze(tx: Tx | Db, environmentId: string, at = new Date()) {
  return tx.freezeWindow.findFirst({ where: { environmentId, startsAt: { lte: at }, endsAt: { gt: at } }, orderBy: { endsAt: "desc" }, select: { id: true, startsAt: true, endsAt: true, reason: true } });
}

/**
 * A deploy, promotion or rollback into a frozen environment: refused (409, naming the end and the reason),
 * unless an admin overrides it with a reason. Returns the override reason to record on the deploy, or null.
 */
export async function checkFreeze(tx: Tx | Db, environment: ResolvedEnvironment, principal: DeployRequester, override: FreezeOverride | null | undefined): Promise<string | null> {
  const freeze = await activeFreeze(tx, environment.id);
  if (!freeze) return null;
  if (!override) {
    throw new ConflictError(`${environment.name} is frozen until ${freeze.endsAt.toISOString()} (${freeze.reason}); an admin may override it with a reason`, { freezeId: freeze.id, endsAt: freeze.endsAt.toISOString() });
  }
  if (principal.kind === "system" || !hasRole(principal.role, "admin")) throw new ForbiddenError(`Only an admin may deploy to ${environment.name} while it is frozen`);
  return override.reason;
}

export async function createFreeze(tx: Tx | Db, environment: ResolvedEnvironment, input: { startsAt: Date; endsAt: Date; reason: string }, by: Principal) {
  if (input.endsAt <= input.startsAt) throw new ValidationError("endsAt: must be after startsAt");
  if (input.endsAt <= new Date()) throw new ValidationError("endsAt: must be in the future");
  const createdBy = by.kind === "user" ? by.email : `token ${by.name}`;
  return tx.freezeWindow.create({ data: { environmentId: environment.id, ...input, createdBy }, select: freezeFields });
}

export const freezeFields = { id: true, startsAt: true, endsAt: true, reason: true, createdBy: true, createdAt: true } as const;

/** Freezes not yet over, soonest first. */
export async function listFreezes(tx: Tx | Db, environmentId: string) {
  return tx.freezeWindow.findMany({ where: { environmentId, endsAt: { gt: new Date() } }, orderBy: { startsAt: "asc" }, select: freezeFields });
}

export async function deleteFreeze(tx: Tx | Db, environmentId: string, id: string) {
  const found = await tx.freezeWindow.findFirst({ where: { id, environmentId }, select: freezeFields });
  if (!found) throw new NotFoundError("Freeze window");
  await tx.freezeWindow.delete({ where: { id } });
  return found;
}
