import { db } from "../db/client";
import { recordAudit } from "../audit/record";
import { newUserSchema, createUser } from "../auth/users";
import { createApiToken, newTokenSchema } from "../auth/tokens";
import { ValidationError } from "../errors";
import { zodMessage } from "../actions/core";
import { assertCleanInput } from "../actions/input-strings";
export { runAuditVerification } from "../audit/verify";
export { archiveAuditEvents } from "../audit/archive";

type CliActor = { kind: "system"; label: string };
const cliMeta = { ip: null, userAgent: "deckhand-cli" };

export async function createUserFromCli(raw: unknown, actor: CliActor) {
  const parsed = newUserSchema.safeParse(assertCleanInput(raw));
  if (!parsed.success) throw new ValidationError(zodMessage(parsed.error));
  return db().$transaction(async (tx) => {
    const user = await createUser(tx, parsed.data);
    await recordAudit(tx, { actor, meta: cliMeta, action: "user.create", target: { type: "user", id: user.id, name: user.email }, outcome: "success", summary: { role: user.role, via: "cli" } });
    return user;
  });
}

export async function createTokenFromCli(raw: unknown, actor: CliActor) {
  const parsed = newTokenSchema.safeParse(assertCleanInput(raw));
  if (!parsed.success) throw new ValidationError(zodMessage(parsed.error));
  return db().$transaction(async (tx) => {
    const created = await createApiToken(tx, parsed.data);
    await recordAudit(tx, { actor, meta: cliMeta, action: "token.create", target: { type: "token", id: created.id, name: created.name }, outcome: "success", summary: { role: created.role, via: "cli" } });
    return created;
  });
}

export async function revokeTokensByName(name: string, actor: CliActor): Promise<number> {
  assertCleanInput({ name });
  return db().$transaction(async (tx) => {
    const tokens = await tx.apiToken.findMany({ where: { name, revokedAt: null }, select: { id: true, name: true } });
    for (const t of tokens) {
      await tx.apiToken.update({ where: { id: t.id }, data: { revokedAt: new Date() } });
      await recordAudit(tx, { actor, meta: cliMeta, action: "token.revoke", target: { type: "token", id: t.id, name: t.name }, outcome: "success", summary: { via: "cli" } });
    }
    return tokens.length;
  });
}
