import { existsSync, readFileSync } from "node:fs";
import type { Db } from "../db/client";
import { decryptSecret } from "../crypto/secretbox";
import { devSecretFile } from "../env";
import type { CheckResult } from "./types";

export interface SecretCheckInput {
  nodeEnv: "development" | "production" | "test";
  /** DECKHAND_SECRET as configured (undefined when unset). */
  envSecret: string | undefined;
  dataDir: string;
  /** null when the database cannot be reached: the secret is then only checked for presence. */
  db: Db | null;
}

interface Sealed {
  what: string;
  sealed: string;
}

/** The newest value of each kind that is encrypted at rest: one wrong secret fails them all. */
async function sampleSealedValues(client: Db): Promise<{ samples: Sealed[]; total: number }> {
  const [keys, secrets, channels, total] = await Promise.all([
    client.sshKey.findMany({ select: { name: true, encryptedPrivateKey: true }, orderBy: { createdAt: "desc" }, take: 1 }),
    client.appSecret.findMany({ select: { name: true, encryptedValue: true, app: { select: { name: true } } }, orderBy: { updatedAt: "desc" }, take: 1 }),
    client.notificationChannel.findMany({ select: { name: true, encryptedConfig: true, encryptedUrl: true }, orderBy: { createdAt: "desc" }, take: 1 }),
    Promise.all([client.sshKey.count(), client.appSecret.count(), client.notificationChannel.count()]).then((n) => n.reduce((a, b) => a + b, 0)),
  ]);
  return {
    samples: [
      ...keys.map((k) => ({ what: `SSH key "${k.name}"`, sealed: k.encryptedPrivateKey })),
      ...secrets.map((s) => ({ what: `app secret ${s.name} of ${s.app.name}`, sealed: s.encryptedValue })),
      ...channels.flatMap((c) => {
        const sealed = c.encryptedConfig ?? c.encryptedUrl;
        return sealed ? [{ what: `notification channel "${c.name}"`, sealed }] : [];
      }),
    ],
    total,
  };
}

function decrypts(sample: Sealed, secret: string): boolean {
  try {
    decryptSecret(sample.sealed, secret);
    return true;
  } catch {
    return false;
  }
}

/**
 * The master secret: present (required in production), and the one the stored keys and secrets were
 * encrypted with. A changed DECKHAND_SECRET otherwise shows up only at the next deploy, as an SSH failure.
 */
export async function checkSecret(input: SecretCheckInput): Promise<CheckResult> {
  const file = devSecretFile(input.dataDir);
  let secret = input.envSecret;
  let source = "DECKHAND_SECRET";
  if (!secret && input.nodeEnv !== "production" && existsSync(file)) {
    secret = readFileSync(file, "utf8").trim();
    source = `the development secret in ${file}`;
  }

  let sampled: { samples: Sealed[]; total: number } | null = null;
  let sampleError: string | null = null;
  if (input.db) {
    try {
      sampled = await sampleSealedValues(input.db);
    } catch (err) {
      sampleError = err instanceof Error ? err.message.split("\n")[0]! : String(err);
    }
  }

  if (!secret) {
    if (sampled && sampled.total > 0) {
      return { name: "secret", status: "fail", detail: `DECKHAND_SECRET is not set, and ${sampled.total} stored value(s) are encrypted: set it to the secret they were encrypted with` };
    }
    if (input.nodeEnv === "production") {
      return { name: "secret", status: "fail", detail: "DECKHAND_SECRET is not set; it is required when NODE_ENV=production (generate one with: openssl rand -base64 48)" };
    }
    return { name: "secret", status: "warn", detail: `DECKHAND_SECRET is not set: a development secret will be generated into ${file} on first start (set DECKHAND_SECRET in production)` };
  }

  if (!input.db) return { name: "secret", status: "warn", detail: `${source} is set, but not tested against stored values: the database is unreachable` };
  if (!sampled) return { name: "secret", status: "warn", detail: `${source} is set, but stored values could not be read: ${sampleError}` };
  if (sampled.samples.length === 0) return { name: "secret", status: "ok", detail: `${source} is set (no encrypted values stored yet to test it against)` };

  const failing = sampled.samples.filter((s) => !decrypts(s, secret));
  if (failing.length > 0) {
    return {
      name: "secret",
      status: "fail",
      detail: `${source} cannot decrypt the stored ${failing.map((f) => f.what).join(", ")}: it is not the secret they were encrypted with (was DECKHAND_SECRET changed?)`,
    };
  }
  return { name: "secret", status: "ok", detail: `${source} decrypts the stored ${sampled.samples.map((s) => s.what).join(", ")}` };
}
