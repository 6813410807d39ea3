import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Db, Tx } from "../db/client";
import type { Prisma } from "../generated/prisma/client";
import type { ChannelType } from "../generated/prisma/enums";
import { ConflictError, NotFoundError, ValidationError } from "../errors";
import { assertTargetAllowed, hostOf, loadAddressGuard, type Resolver } from "../net/guard";
import { mergeChannelConfig, parseChannelConfig, publicConfigOf, readChannelConfig, sealConfig, type ChannelConfig } from "./config";
import { enqueueAlert } from "./deliveries";
import { SEVERITIES } from "./payload";
import { CHANNEL_TYPES, PROVIDERS } from "./providers";
import { formBoolean, optionalBoolean } from "./providers/fields";

const channelType = z.enum(CHANNEL_TYPES, { error: `type must be one of ${CHANNEL_TYPES.map((t) => `"${t}"`).join(", ")}` });
const severities = z.array(z.enum(SEVERITIES, { error: `a severity is one of ${SEVERITIES.join(", ")}` })).max(SEVERITIES.length);
const mutedUntil = z.iso.datetime({ offset: true, error: "mutedUntil must be an ISO 8601 time" }).nullable();

const common = {
  name: z.string().trim().min(1, "name is required").max(100),
  enabled: formBoolean(true),
  isDefault: formBoolean(true),
  muted: formBoolean(false),
  mutedUntil: mutedUntil.optional(),
  severities: severities.default([...SEVERITIES]),
};

/** Channels created before typed configs sent `url` beside the type; it is still taken as `config.url`. */
function legacyUrl(v: unknown): unknown {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return v;
  const o = v as Record<string, unknown>;
  if (typeof o.url !== "string" || o.config !== undefined) return v;
  // The URL moves into config: the input is strict (lib/actions/strict.ts), so it must not stay at the top too.
  const { url, ...rest } = o;
  return { ...rest, config: { url } };
}

const variant = <T extends ChannelType>(type: T) => z.object({ ...common, type: z.literal(type), config: PROVIDERS[type].config });

/** One variant per provider, each with its own config: the API document lists every provider's fields. */
export const channelInputSchema = z.preprocess(
  legacyUrl,
  z.discriminatedUnion("type", [variant("webhook"), variant("slack"), variant("discord"), variant("teams"), variant("telegram"), variant("ntfy"), variant("pagerduty"), variant("email")], {
    error: `type must be one of ${CHANNEL_TYPES.map((t) => `"${t}"`).join(", ")}`,
  }),
);
export type ChannelInput = z.infer<typeof channelInputSchema>;

/** A change: any subset; `config` is merged into the stored one (secrets left out are kept). */
export const channelPatchSchema = z.preprocess(
  legacyUrl,
  z.object({
    id: z.string().min(1),
    name: common.name.optional(),
    type: channelType.optional(),
    config: z.record(z.string(), z.unknown(), { error: "config must be an object" }).optional(),
    enabled: optionalBoolean,
    isDefault: optionalBoolean,
    muted: optionalBoolean,
    mutedUntil: mutedUntil.optional(),
    severities: severities.optional(),
  }),
);
export type ChannelPatch = z.infer<typeof channelPatchSchema>;

const storedSelect = {
  id: true,
  name: true,
  type: true,
  enabled: true,
  isDefault: true,
  muted: true,
  mutedUntil: true,
  severities: true,
  createdAt: true,
  updatedAt: true,
  encryptedConfig: true,
  encryptedUrl: true,
} as const satisfies Prisma.NotificationChannelSelect;

type StoredRow = Prisma.NotificationChannelGetPayload<{ select: typeof storedSelect }>;

/** What leaves the server of a channel: its settings and the non-secret part of its config, never a credential. */
export function channelView(row: StoredRow) {
  const { config, secretsSet, hint } = publicConfigOf(row);
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    enabled: row.enabled,
    isDefault: row.isDefault,
    muted: row.muted && (row.mutedUntil === null || row.mutedUntil > new Date()),
    mutedUntil: row.muted ? row.mutedUntil : null,
    severities: row.severities,
    config,
    credentialsSet: secretsSet,
    hint,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
export type ChannelView = ReturnType<typeof channelView>;

/** Every address the channel will contact is vetted now (and again at every send). */
async function assertHostsAllowed(tx: Tx | Db, type: ChannelType, config: ChannelConfig, resolve?: Resolver) {
  const parsed = PROVIDERS[type].config.parse(config);
  const guard = await loadAddressGuard(tx);
  for (const host of PROVIDERS[type].hosts(parsed)) await assertTargetAllowed(hostOf(host), guard, resolve);
}

async function assertNameFree(tx: Tx | Db, name: string, exceptId?: string) {
  const clash = await tx.notificationChannel.findUnique({ where: { name }, select: { id: true } });
  if (clash && clash.id !== exceptId) throw new ConflictError(`A channel named "${name}" already exists`);
}

function muteFields(muted: boolean | undefined, until: string | null | undefined) {
  if (muted === false) return { muted: false, mutedUntil: null };
  if (muted === true || until) return { muted: true, mutedUntil: until ? new Date(until) : null };
  return {};
}

/**
 * A new channel, its config sealed. A generic webhook given no signing secret gets one, returned once as
 * `signingSecret` (the receiver needs it to verify; it is never shown again).
 */
export async function createChannel(tx: Tx | Db, raw: ChannelInput, resolve?: Resolver) {
  let config = raw.config;
  let signingSecret: string | undefined;
  if (raw.type === "webhook" && !config.secret) {
    signingSecret = randomBytes(32).toString("base64url");
    config = { ...config, secret: signingSecret };
  }
  await assertHostsAllowed(tx, raw.type, config, resolve);
  await assertNameFree(tx, raw.name);
  const row = await tx.notificationChannel.create({
    data: {
      name: raw.name,
      type: raw.type,
      enabled: raw.enabled,
      isDefault: raw.isDefault,
      severities: [...new Set(raw.severities)],
      encryptedConfig: sealConfig(config),
      ...muteFields(raw.muted, raw.mutedUntil),
    },
    select: storedSelect,
  });
  return { ...channelView(row), ...(signingSecret ? { signingSecret } : {}) };
}

async function stored(tx: Tx | Db, id: string): Promise<StoredRow> {
  const row = await tx.notificationChannel.findUnique({ where: { id }, select: storedSelect });
  if (!row) throw new NotFoundError("Channel");
  return row;
}

/** The config after a change, or null when the change leaves it alone. */
function nextConfig(before: StoredRow, patch: ChannelPatch): ChannelConfig | null {
  const type = patch.type ?? before.type;
  if (!patch.config && type === before.type) return null;
  if (type !== before.type) return parseChannelConfig(type, patch.config ?? {});
  let current: ChannelConfig | null = null;
  try {
    current = readChannelConfig(before);
  } catch {
    throw new ValidationError("config: the stored config cannot be read; send the whole config again");
  }
  return mergeChannelConfig(type, current, patch.config ?? {});
}

export async function updateChannel(tx: Tx | Db, patch: ChannelPatch, resolve?: Resolver) {
  const before = await stored(tx, patch.id);
  const type = patch.type ?? before.type;
  const config = nextConfig(before, patch);
  if (config) await assertHostsAllowed(tx, type, config, resolve);
  if (patch.name) await assertNameFree(tx, patch.name, patch.id);
  const after = await tx.notificationChannel.update({
    where: { id: patch.id },
    data: {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.type !== undefined ? { type: patch.type } : {}),
      ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
      ...(patch.isDefault !== undefined ? { isDefault: patch.isDefault } : {}),
      ...(patch.severities !== undefined ? { severities: [...new Set(patch.severities)] } : {}),
      ...(config ? { encryptedConfig: sealConfig(config), encryptedUrl: null } : {}),
      ...muteFields(patch.muted, patch.mutedUntil),
    },
    select: storedSelect,
  });
  return { before: channelView(before), after: channelView(after), configChanged: config !== null };
}

export async function deleteChannel(tx: Tx | Db, id: string) {
  const before = channelView(await stored(tx, id));
  await tx.notificationChannel.delete({ where: { id } });
  return before;
}

export async function getChannel(client: Tx | Db, id: string) {
  return channelView(await stored(client, id));
}

export async function listChannels(client: Tx | Db) {
  const rows = await client.notificationChannel.findMany({ orderBy: { name: "asc" }, select: storedSelect });
  return rows.map(channelView);
}

/** Queues a test message to one channel (muted or disabled alike); the worker sends it like any alert (and shows it in deliveries). */
export async function sendTestNotification(tx: Tx | Db, id: string) {
  const channel = await tx.notificationChannel.findUnique({ where: { id }, select: { id: true, name: true, type: true } });
  if (!channel) throw new NotFoundError("Channel");
  await enqueueAlert(tx, { event: "test", monitor: { id: "test", name: "Deckhand", type: "test", target: "-", app: null }, at: new Date().toISOString(), detail: "test notification", incident: null }, [id]);
  return channel;
}
