import type { Db, Tx } from "../db/client";
import type { ChannelType } from "../generated/prisma/enums";
import { decryptSecret } from "../crypto/secretbox";
import { log } from "../log";
import { postJson, type WebhookResult } from "./checkers/http";
import type { AddressGuard, Resolver } from "./network";

export interface AlertPayload {
  event: "monitor.down" | "monitor.up" | "test";
  monitor: { id: string; name: string; type: string; target: string; app: string | null };
  at: string;
  detail: string;
  incident: { id: string; startedAt: string; endedAt: string | null; durationSeconds: number | null } | null;
}

export const MAX_DELIVERY_ATTEMPTS = 8;
/** A claimed delivery is someone's for this long; a worker that dies mid-send leaves it to be retried. */
const DELIVERY_LEASE_MS = 60_000;

/** 10 s, 20 s, 40 s … capped at 30 min: about an hour of retries before a delivery is given up. */
export function backoffMs(attempt: number): number {
  return Math.min(10_000 * 2 ** Math.max(0, attempt - 1), 30 * 60_000);
}

/** One delivery row per enabled channel, in the caller's transaction (the transition and its alert commit together). */
export async function enqueueAlert(tx: Tx | Db, payload: AlertPayload, channelIds?: string[]): Promise<number> {
  const channels = await tx.notificationChannel.findMany({
    where: channelIds ? { id: { in: channelIds } } : { enabled: true },
    select: { id: true },
  });
  if (channels.length === 0) return 0;
  const { count } = await tx.notificationDelivery.createMany({
    data: channels.map((c) => ({ channelId: c.id, event: payload.event, payload: payload as object })),
  });
  return count;
}

function duration(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

export function alertText(p: AlertPayload): string {
  const who = p.monitor.app ? `${p.monitor.name} (${p.monitor.app})` : p.monitor.name;
  if (p.event === "test") return `Deckhand test notification: this channel works.`;
  if (p.event === "monitor.down") return `🔴 ${who} is DOWN: ${p.detail} — ${p.monitor.target}`;
  const took = p.incident?.durationSeconds != null ? ` after ${duration(p.incident.durationSeconds)}` : "";
  return `✅ ${who} is back UP${took}: ${p.detail} — ${p.monitor.target}`;
}

/** The generic webhook gets the event as is; a Slack-compatible hook gets `text` (and the event under `deckhand`). */
export function formatForChannel(type: ChannelType, payload: AlertPayload): unknown {
  if (type === "slack") return { text: alertText(payload), deckhand: payload };
  return { ...payload, text: alertText(payload) };
}

interface ClaimedDelivery {
  id: string;
  channelId: string;
  event: string;
  payload: AlertPayload;
  attempts: number;
}

interface ChannelForSend {
  type: ChannelType;
  enabled: boolean;
  encryptedUrl: string;
}

async function sendOne(channel: ChannelForSend | undefined, d: ClaimedDelivery, opts: DeliveryOptions): Promise<WebhookResult> {
  if (!channel) return { ok: false, status: null, error: "channel deleted" };
  if (!channel.enabled && d.event !== "test") return { ok: false, status: null, error: "channel disabled" };
  let url: string;
  try {
    url = decryptSecret(channel.encryptedUrl);
  } catch {
    return { ok: false, status: null, error: "webhook URL cannot be decrypted (was DECKHAND_SECRET changed?)" };
  }
  return postJson(url, formatForChannel(channel.type, d.payload), { guard: opts.guard, resolve: opts.resolve, signal: opts.signal });
}

export interface DeliveryOptions {
  guard: AddressGuard;
  resolve?: Resolver;
  now?: Date;
  limit?: number;
  signal?: AbortSignal;
}

/**
 * Sends what is due: claims rows with SKIP LOCKED (several workers never send one twice at once), posts
 * them, then marks each delivered, or schedules the next attempt with backoff, or gives up as failed.
 */
export async function deliverDueNotifications(client: Db, opts: DeliveryOptions): Promise<{ delivered: number; retrying: number; failed: number }> {
  const now = opts.now ?? new Date();
  const claimed = await client.$queryRaw<ClaimedDelivery[]>`
    UPDATE "NotificationDelivery" d
    SET attempts = d.attempts + 1, "nextAttemptAt" = ${new Date(now.getTime() + DELIVERY_LEASE_MS).toISOString()}::timestamp
    FROM (SELECT id FROM "NotificationDelivery"
          WHERE status = 'pending' AND "nextAttemptAt" <= ${now.toISOString()}::timestamp
          ORDER BY "nextAttemptAt" LIMIT ${opts.limit ?? 20}
          FOR UPDATE SKIP LOCKED) due
    WHERE d.id = due.id
    RETURNING d.id, d."channelId", d.event, d.payload, d.attempts`;
  const tally = { delivered: 0, retrying: 0, failed: 0 };
  if (claimed.length === 0) return tally;
  const channels = await client.notificationChannel.findMany({
    where: { id: { in: [...new Set(claimed.map((c) => c.channelId))] } },
    select: { id: true, type: true, enabled: true, encryptedUrl: true },
  });
  const byId = new Map(channels.map((c) => [c.id, c]));
  await Promise.all(
    claimed.map(async (d) => {
      const channel = byId.get(d.channelId);
      const result = await sendOne(channel, d, opts);
      const finalFailure = !result.ok && (d.attempts >= MAX_DELIVERY_ATTEMPTS || !channel);
      const status = result.ok ? "delivered" : finalFailure ? "failed" : "pending";
      await client.notificationDelivery.update({
        where: { id: d.id },
        data: {
          status,
          lastError: result.ok ? null : result.error,
          nextAttemptAt: result.ok || finalFailure ? now : new Date(now.getTime() + backoffMs(d.attempts)),
        },
      });
      if (result.ok) tally.delivered++;
      else if (finalFailure) tally.failed++;
      else tally.retrying++;
      if (!result.ok) log.warn({ deliveryId: d.id, channelId: d.channelId, attempt: d.attempts, error: result.error, final: finalFailure }, "alert delivery failed");
    }),
  );
  return tally;
}
