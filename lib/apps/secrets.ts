import { decryptSecret, encryptSecret } from "../crypto/secretbox";
import type { Db, Tx } from "../db/client";

/** An app's environment variables, encrypted at rest: the given set replaces what was stored. */
export async function writeSecrets(tx: Tx | Db, appId: string, env: Record<string, string>): Promise<void> {
  await tx.appSecret.deleteMany({ where: { appId, name: { notIn: Object.keys(env) } } });
  for (const [name, value] of Object.entries(env)) {
    await tx.appSecret.upsert({
      where: { appId_name: { appId, name } },
      create: { appId, name, encryptedValue: encryptSecret(value) },
      update: { encryptedValue: encryptSecret(value) },
    });
  }
}

/** Decrypted values by name: for the worker only (they are written to shared/.env and never leave it). */
export function decryptSecrets(rows: { name: string; encryptedValue: string }[]): Record<string, string> {
  return Object.fromEntries(rows.map((s) => [s.name, decryptSecret(s.encryptedValue)]));
}
