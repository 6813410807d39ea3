import { z } from "zod";
import type { Db, Tx } from "../db/client";
import { encryptSecret } from "../crypto/secretbox";
import { ConflictError, NotFoundError } from "../errors";
import { assertTargetAllowed, hostOf, loadAddressGuard, type Resolver } from "../net/guard";
import { enqueueAlert } from "./deliveries";

const webhookUrl = z
  .string()
  .trim()
  .max(2_000)
  .refine((v) => {
    try {
      const u = new URL(v);
      return u.protocol === "http:" || u.protocol === "https:";
    } catch {
      return false;
    }
  }, "must be an http:// or https:// URL");

export const channelInputSchema = z.object({
  name: z.string().trim().min(1, "name is required").max(100),
  type: z.enum(["webhook", "slack"], { error: 'type must be "webhook" or "slack"' }),
  url: webhookUrl,
  enabled: z.preprocess((v) => (v === "false" || v === "off" ? false : v === "true" || v === "on" ? true : v), z.boolean().default(true)),
});
export const channelPatchSchema = channelInputSchema.partial().extend({ id: z.string().min(1) });

export const channelPublicSelect = { id: true, name: true, type: true, enabled: true, createdAt: true, updatedAt: true } as const;

async function assertUrlAllowed(tx: Tx | Db, url: string, resolve?: Resolver) {
  await assertTargetAllowed(hostOf(new URL(url).hostname), await loadAddressGuard(tx), resolve);
}

async function assertNameFree(tx: Tx | Db, name: string, exceptId?: string) {
  const clash = await tx.notificationChannel.findUnique({ where: { name }, select: { id: true } });
  if (clash && clash.id !== exceptId) throw new ConflictError(`A channel named "${name}" already exists`);
}

/** The webhook URL is stored encrypted: Slack and most webhook URLs are themselves the credential. */
export async function createChannel(tx: Tx | Db, input: z.infer<typeof channelInputSchema>, resolve?: Resolver) {
  await assertUrlAllowed(tx, input.url, resolve);
  await assertNameFree(tx, input.name);
  return tx.notificationChannel.create({
    data: { name: input.name, type: input.type, enabled: input.enabled, encryptedUrl: encryptSecret(input.url) },
    select: channelPublicSelect,
  });
}

export async function updateChannel(tx: Tx | Db, patch: z.infer<typeof channelPatchSchema>, resolve?: Resolver) {
  const before = await tx.notificationChannel.findUnique({ where: { id: patch.id }, select: channelPublicSelect });
  if (!before) throw new NotFoundError("Channel");
  if (patch.url) await assertUrlAllowed(tx, patch.url, resolve);
  if (patch.name) await assertNameFree(tx, patch.name, patch.id);
  const after = await tx.notificationChannel.update({
    where: { id: patch.id },
    data: {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.type !== undefined ? { type: patch.type } : {}),
      ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
      ...(patch.url !== undefined ? { encryptedUrl: encryptSecret(patch.url) } : {}),
    },
    select: channelPublicSelect,
  });
  return { before, after, urlChanged: patch.url !== undefined };
}

export async function deleteChannel(tx: Tx | Db, id: string) {
  const before = await tx.notificationChannel.findUnique({ where: { id }, select: channelPublicSelect });
  if (!before) throw new NotFoundError("Channel");
  await tx.notificationChannel.delete({ where: { id } });
  return before;
}

/** Queues a test message to one channel; the worker sends it like any alert (and shows it in deliveries). */
export async function sendTestNotification(tx: Tx | Db, id: string) {
  const channel = await tx.notificationChannel.findUnique({ where: { id }, select: channelPublicSelect });
  if (!channel) throw new NotFoundError("Channel");
  await enqueueAlert(
    tx,
    { event: "test", monitor: { id: "test", name: "Deckhand", type: "test", target: "-", app: null }, at: new Date().toISOString(), detail: "test notification", incident: null },
    [id],
  );
  return channel;
}
