import type { Db, Tx } from "../db/client";
import { decryptSecret, encryptSecret } from "../crypto/secretbox";
import type { ChannelType } from "../generated/prisma/enums";
import { ValidationError } from "../errors";
import { log } from "../log";
import { PROVIDERS } from "./providers";

/**
 * A channel's config is stored whole, encrypted (its URLs, tokens and passwords are credentials). What leaves
 * the server is `publicConfig`: the fields that are not secrets, and the names of the secrets that are set.
 */

export type ChannelConfig = Record<string, unknown>;

export interface StoredChannel {
  type: ChannelType;
  encryptedConfig: string | null;
  encryptedUrl: string | null;
}

export class ChannelConfigError extends Error {
  override name = "ChannelConfigError";
}

/** The stored config; a channel saved before typed configs is a URL alone (webhook and Slack had nothing else). */
export function readChannelConfig(row: StoredChannel): ChannelConfig {
  try {
    if (row.encryptedConfig) return JSON.parse(decryptSecret(row.encryptedConfig)) as ChannelConfig;
    if (row.encryptedUrl) return { url: decryptSecret(row.encryptedUrl) };
  } catch {
    throw new ChannelConfigError("the channel's config cannot be decrypted (was DECKHAND_SECRET changed?)");
  }
  throw new ChannelConfigError("the channel has no config");
}

export function sealConfig(config: ChannelConfig): string {
  return encryptSecret(JSON.stringify(config));
}

/** Validates a config for its type; every problem names its field under `config.`. */
export function parseChannelConfig(type: ChannelType, raw: unknown): ChannelConfig {
  const parsed = PROVIDERS[type].config.safeParse(raw ?? {});
  if (parsed.success) return parsed.data as ChannelConfig;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `config.${issue.path.join(".")}: ` : "config: ";
  // The issues' paths start at the config, as they do when the action's own schema checks it (a form's fields are `config.…`).
  throw new ValidationError(
    `${where}${issue?.message ?? "invalid"}`,
    parsed.error.issues.map((i) => ({ ...i, path: ["config", ...i.path] })),
  );
}

/**
 * A change to a config: the fields given replace the stored ones, a field given as null is removed, and a
 * secret left out is kept (clients never see secrets, so they cannot send them back). A change of type
 * starts from nothing.
 */
export function mergeChannelConfig(type: ChannelType, stored: ChannelConfig | null, patch: Record<string, unknown>): ChannelConfig {
  const merged: Record<string, unknown> = { ...(stored ?? {}) };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else if (value === "" && PROVIDERS[type].secrets.includes(key)) continue;
    else merged[key] = value;
  }
  return parseChannelConfig(type, merged);
}

export interface PublicConfig {
  config: Record<string, unknown>;
  /** The secrets that are set (their values never leave the server). */
  secretsSet: string[];
  /** Where it sends, without any secret. */
  hint: string;
}

export function publicConfig(type: ChannelType, config: ChannelConfig): PublicConfig {
  const provider = PROVIDERS[type];
  const shown = Object.fromEntries(Object.entries(config).filter(([k]) => !provider.secrets.includes(k)));
  const secretsSet = provider.secrets.filter((k) => config[k] !== undefined && config[k] !== "");
  const parsed = provider.config.safeParse(config);
  return { config: shown, secretsSet, hint: parsed.success ? provider.hint(parsed.data) : "(invalid config)" };
}

/** publicConfig of a stored row, or a plain placeholder when it cannot be read. */
export function publicConfigOf(row: StoredChannel): PublicConfig {
  try {
    return publicConfig(row.type, readChannelConfig(row));
  } catch {
    return { config: {}, secretsSet: [], hint: "(cannot be decrypted)" };
  }
}

/**
 * Channels saved before typed configs hold a bare encrypted URL; each is rewritten as a config once (the key
 * is the application's, so a SQL migration cannot). The worker runs this at start; the read path takes either
 * form, so a row written meanwhile by an older web process still works.
 */
export async function upgradeLegacyChannels(client: Db | Tx): Promise<number> {
  const legacy = await client.notificationChannel.findMany({
    where: { encryptedConfig: null, encryptedUrl: { not: null } },
    select: { id: true, type: true, encryptedUrl: true, encryptedConfig: true },
  });
  let upgraded = 0;
  for (const row of legacy) {
    try {
      const config = readChannelConfig(row);
      const { count } = await client.notificationChannel.updateMany({
        where: { id: row.id, encryptedConfig: null },
        data: { encryptedConfig: sealConfig(config), encryptedUrl: null },
      });
      upgraded += count;
    } catch (err) {
      log.warn({ err, channelId: row.id }, "could not upgrade an alert channel's stored URL to a config");
    }
  }
  if (upgraded) log.info({ channels: upgraded }, "alert channels upgraded to typed configs");
  return upgraded;
}
