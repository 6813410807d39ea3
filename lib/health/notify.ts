import type { Db, Tx } from "../db/client";
import type { ChannelType } from "../generated/prisma/enums";
import { decryptSecret } from "../crypto/secretbox";
import { enqueueNotifications } from "../jobs/queues";
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
/**
 * A claimed delivery is its job's for this long (a send takes at most 10 s). A worker that dies mid-send
 * leaves its job active; pg-boss expires it after 30 s and retries it 5 s later (lib/jobs/queues.ts), by
 * which time this lease is over and the retry sends again.
 */
export const DELIVERY_LEASE_MS = 25_000;

/** 10 s, 20 s, 40 s … capped at 30 min: about an hour of retries before a delivery is given up. */
export function backoffMs(attempt: number): number {
  return Math.min(10_000 * 2 ** Math.max(0, attempt - 1), 30 * 60_000);
}

/**
 * One delivery row per enabled channel and one pg-boss job per row, in the caller's transaction: the
 * transition, its alerts and the jobs that send them commit together or not at all.
 */
export async function enqueueAlert(tx: Tx | Db, payload: AlertPayload, channelIds?: string[]): Promise<number> {
  const channels = await tx.notificationChannel.findMany({
    where: channelIds ? { id: { in: channelIds } } : { enabled: true },
    select: { id: true },
  });
  if (channels.length === 0) return 0;
  const rows = await tx.notificationDelivery.createManyAndReturn({
    data: channels.map((c) => ({ channelId: c.id, event: payload.event, payload: payload as object })),
    select: { id: true },
  });
  await enqueueNotifications(tx, rows.map((r) => ({ deliveryId: r.id })));
  return rows.length;
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

async function sendOne(channel: ChannelForSend | null, d: ClaimedDelivery, opts: DeliveryOptions): Promise<WebhookResult> {
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
  signal?: AbortSignal;
}

export type DeliveryOutcome = "delivered" | "retrying" | "failed" | "skipped";

/**
 * Runs one delivery job: claims the row (pending and due; the claim pushes nextAttemptAt a lease ahead, so a
 * second job for the same row, such as a retry of one whose worker died, finds nothing to do while this one
 * sends), posts it, then marks it delivered, gives up as failed, or schedules the next attempt with backoff:
 * the row's nextAttemptAt and its next pg-boss job, in one transaction.
 */
export async function deliverNotification(client: Db, deliveryId: string, opts: DeliveryOptions): Promise<DeliveryOutcome> {
  const now = opts.now ?? new Date();
  const [d] = await client.$queryRaw<ClaimedDelivery[]>`
    UPDATE "NotificationDelivery"
    SET attempts = attempts + 1, "nextAttemptAt" = ${new Date(now.getTime() + DELIVERY_LEASE_MS).toISOString()}::timestamp
    WHERE id = ${deliveryId} AND status = 'pending' AND "nextAttemptAt" <= ${now.toISOString()}::timestamp
    RETURNING id, "channelId", event, payload, attempts`;
  if (!d) return "skipped";
  const channel = await client.notificationChannel.findUnique({ where: { id: d.channelId }, select: { type: true, enabled: true, encryptedUrl: true } });
  const result = await sendOne(channel, d, opts);
  const finalFailure = !result.ok && (d.attempts >= MAX_DELIVERY_ATTEMPTS || !channel);
  const outcome: DeliveryOutcome = result.ok ? "delivered" : finalFailure ? "failed" : "retrying";
  const nextAttemptAt = outcome === "retrying" ? new Date(now.getTime() + backoffMs(d.attempts)) : now;
  await client.$transaction(async (tx) => {
    await tx.notificationDelivery.update({
      where: { id: d.id },
      data: { status: outcome === "retrying" ? "pending" : outcome, lastError: result.ok ? null : result.error, nextAttemptAt },
    });
    if (outcome === "retrying") await enqueueNotifications(tx, [{ deliveryId: d.id, startAfter: nextAttemptAt }]);
  });
  if (!result.ok) log.warn({ deliveryId: d.id, channelId: d.channelId, attempt: d.attempts, error: result.error, final: finalFailure }, "alert delivery failed");
  return outcome;
}
