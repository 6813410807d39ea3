import { decryptSecret, encryptSecret } from "../crypto/secretbox";
import type { Db, Tx } from "../db/client";
import { productionEnvironmentId } from "./environments";

/** The environment a variable call means: the one named by id, else the app's production. */
async function envOf(tx: Tx | Db, appId: string, environmentId?: string): Promise<string> {
  return environmentId ?? productionEnvironmentId(tx, appId);
}

/** An app's environment variables, encrypted at rest: the given set replaces what was stored. */
export async function writeSecrets(tx: Tx | Db, appId: string, env: Record<string, string>, environment?: string): Promise<void> {
  const environmentId = await envOf(tx, appId, environment);
  await tx.appSecret.deleteMany({ where: { appId, environmentId, name: { notIn: Object.keys(env) } } });
  for (const [name, value] of Object.entries(env)) {
    await tx.appSecret.upsert({
      where: { environmentId_name: { environmentId, name } },
      create: { appId, environmentId, name, encryptedValue: encryptSecret(value) },
      update: { encryptedValue: encryptSecret(value) },
    });
  }
}

/** Decrypted values by name: for the worker only (they are written to shared/.env and never leave it). */
export function decryptSecrets(rows: { name: string; encryptedValue: string }[]): Record<string, string> {
  return Object.fromEntries(rows.map((s) => [s.name, decryptSecret(s.encryptedValue)]));
}

/** One variable set (added or its value replaced); true when it is new. The value is encrypted like the rest. */
export async function setSecret(tx: Tx | Db, appId: string, name: string, value: string, environment?: string): Promise<{ created: boolean }> {
  const environmentId = await envOf(tx, appId, environment);
  const existed = await tx.appSecret.findUnique({ where: { environmentId_name: { environmentId, name } }, select: { id: true } });
  await tx.appSecret.upsert({
    where: { environmentId_name: { environmentId, name } },
    create: { appId, environmentId, name, encryptedValue: encryptSecret(value) },
    update: { encryptedValue: encryptSecret(value) },
  });
  return { created: !existed };
}

/** One variable removed; false when the app had none by that name. */
export async function removeSecret(tx: Tx | Db, appId: string, name: string, environment?: string): Promise<boolean> {
  const { count } = await tx.appSecret.deleteMany({ where: { appId, environmentId: await envOf(tx, appId, environment), name } });
  return count > 0;
}

/** The app's variables by name (values are write-only: they never leave the database but to the worker). */
export async function listSecretNames(tx: Tx | Db, appId: string, environment?: string): Promise<{ key: string; updatedAt: Date }[]> {
  const rows = await tx.appSecret.findMany({ where: { appId, environmentId: await envOf(tx, appId, environment) }, orderBy: { name: "asc" }, select: { name: true, updatedAt: true } });
  return rows.map((r) => ({ key: r.name, updatedAt: r.updatedAt }));
}
