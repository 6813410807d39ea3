import type { Db, Tx } from "../db/client";
import { env } from "../env";
import type { ChannelType } from "../generated/prisma/enums";
import { enqueueNotifications, QUEUES } from "../jobs/queues";
import { log } from "../log";
import type { AddressGuard, Resolver } from "../net/guard";
import { ChannelConfigError, readChannelConfig } from "./config";
import { precedingDeploy } from "./context";
import { renderAlert } from "./message";
import { isDeployAlert, severityOf, type AlertPayload } from "./payload";
import { PROVIDERS } from "./providers";
import { routeAlert } from "./routing";
import type { WebhookResult } from "./webhook";

export type { AlertPayload } from "./payload";
export { alertText } from "./message";

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
 * A monitor's alert learns its app and the app's deploy that ended just before it (the usual suspect), so
 * every channel can say which release, commit and person preceded the change.
 */
async function withContext(tx: Tx | Db, payload: AlertPayload): Promise<AlertPayload> {
  if (isDeployAlert(payload) || payload.event === "test" || payload.precedingDeploy !== undefined) return payload;
  const monitor = await tx.monitor.findUnique({ where: { id: payload.monitor.id }, select: { appId: true } });
  if (!monitor?.appId) return payload;
  const before = await precedingDeploy(tx, monitor.appId, new Date(payload.at));
  return { ...payload, monitor: { ...payload.monitor, appId: monitor.appId }, precedingDeploy: before };
}

/** The channels routing picks for an alert (lib/alerts/routing.ts); a test without channels named goes to every enabled one. */
async function routeFor(tx: Tx | Db, payload: AlertPayload): Promise<string[]> {
  const severity = severityOf(payload.event);
  if (!severity) return (await tx.notificationChannel.findMany({ where: { enabled: true }, select: { id: true } })).map((c) => c.id);
  return routeAlert(tx, isDeployAlert(payload) ? { appId: payload.deploy.app.id } : { monitorId: payload.monitor.id }, severity, new Date(payload.at));
}

/**
 * One delivery row per channel the alert is routed to (or per channel named) and one pg-boss job per row, in
 * the caller's transaction: the transition, its alerts and the jobs that send them commit together or not at all.
 */
export async function enqueueAlert(tx: Tx | Db, alert: AlertPayload, channelIds?: string[]): Promise<number> {
  const payload = channelIds ? alert : await withContext(tx, alert);
  const ids = channelIds ?? (await routeFor(tx, payload));
  const channels = ids.length ? await tx.notificationChannel.findMany({ where: { id: { in: ids } }, select: { id: true } }) : [];
  if (channels.length === 0) return 0;
  const rows = await tx.notificationDelivery.createManyAndReturn({
    data: channels.map((c) => ({ channelId: c.id, event: payload.event, payload: payload as object })),
    select: { id: true },
  });
  await enqueueNotifications(
    tx,
    rows.map((r) => ({ deliveryId: r.id })),
  );
  return rows.length;
}

/**
 * A job found its delivery pending but not due. If no other job is waiting for it (the one that holds its
 * lease failed without scheduling the next attempt, or a clock ran ahead), queue one for when it is due:
 * a pending delivery always has a job to come.
 */
async function ensureDueJob(client: Db, deliveryId: string, now: Date, jobId: string | undefined): Promise<DeliveryOutcome> {
  const row = await client.notificationDelivery.findUnique({ where: { id: deliveryId }, select: { status: true, nextAttemptAt: true } });
  if (row?.status !== "pending") return "skipped";
  const [waiting] = await client.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM pgboss.job
    WHERE name = ${QUEUES.notify} AND state IN ('created', 'retry') AND data->>'deliveryId' = ${deliveryId}
      AND id::text IS DISTINCT FROM ${jobId ?? null}`;
  if ((waiting?.n ?? 0) > 0) return "skipped";
  const startAfter = new Date(Math.max(row.nextAttemptAt.getTime(), now.getTime() + 1_000));
  await enqueueNotifications(client, [{ deliveryId, startAfter }]);
  return "deferred";
}

/**
 * Pending deliveries overdue by more than a lease with no job waiting or running (written before deliveries
 * were jobs, or their job lost): each gets one. The worker runs this every minute.
 */
export async function requeueStrandedDeliveries(client: Db): Promise<number> {
  const rows = await client.$queryRaw<{ id: string }[]>`
    SELECT d.id FROM "NotificationDelivery" d
    WHERE d.status = 'pending' AND d."nextAttemptAt" < (now() AT TIME ZONE 'UTC') - make_interval(secs => ${(2 * DELIVERY_LEASE_MS) / 1000})
      AND NOT EXISTS (SELECT 1 FROM pgboss.job j WHERE j.name = ${QUEUES.notify} AND j.state IN ('created', 'retry', 'active') AND j.data->>'deliveryId' = d.id)
    LIMIT 500`;
  await enqueueNotifications(
    client,
    rows.map((r) => ({ deliveryId: r.id })),
  );
  if (rows.length) log.warn({ deliveries: rows.length }, "pending alert deliveries without a job were queued again");
  return rows.length;
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
  encryptedUrl: string | null;
  encryptedConfig: string | null;
}

/** Renders the alert and hands it to the channel's provider. */
async function sendOne(channel: ChannelForSend | null, d: ClaimedDelivery, opts: DeliveryOptions): Promise<WebhookResult> {
  if (!channel) return { ok: false, status: null, error: "channel deleted" };
  if (!channel.enabled && d.event !== "test") return { ok: false, status: null, error: "channel disabled" };
  const provider = PROVIDERS[channel.type];
  let config: Record<string, unknown>;
  try {
    const parsed = provider.config.safeParse(readChannelConfig(channel));
    if (!parsed.success) return { ok: false, status: null, error: `the channel's config is not valid: ${parsed.error.issues[0]?.message ?? "invalid"}` };
    config = parsed.data;
  } catch (err) {
    return { ok: false, status: null, error: err instanceof ChannelConfigError ? err.message : "the channel's config cannot be read" };
  }
  const publicUrl = opts.publicUrl !== undefined ? opts.publicUrl : (env().DECKHAND_PUBLIC_URL ?? null);
  return provider.send(renderAlert(d.payload, publicUrl), config, { guard: opts.guard, resolve: opts.resolve, signal: opts.signal, deliveryId: d.id });
}

export interface DeliveryOptions {
  guard: AddressGuard;
  resolve?: Resolver;
  now?: Date;
  signal?: AbortSignal;
  /** The pg-boss job running this delivery (so a check for other jobs of the same row leaves it out). */
  jobId?: string;
  /** Where alerts link to; DECKHAND_PUBLIC_URL when left out. */
  publicUrl?: string | null;
}

/** `deferred`: pending but not due (another job holds its lease, or its next attempt is later); a job will run then. */
export type DeliveryOutcome = "delivered" | "retrying" | "failed" | "skipped" | "deferred";

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
  if (!d) return ensureDueJob(client, deliveryId, now, opts.jobId);
  const channel = await client.notificationChannel.findUnique({ where: { id: d.channelId }, select: { type: true, enabled: true, encryptedUrl: true, encryptedConfig: true } });
  const result = await sendOne(channel, d, opts);
  const finalFailure = !result.ok && (d.attempts >= MAX_DELIVERY_ATTEMPTS || !channel);
  const outcome: DeliveryOutcome = result.ok ? "delivered" : finalFailure ? "failed" : "retrying";
  const nextAttemptAt = outcome === "retrying" ? new Date(now.getTime() + backoffMs(d.attempts)) : now;
  const recorded = await client.$transaction(async (tx) => {
    // Only over our own claim: a worker that froze past its lease while another job re-sent must not undo that.
    const { count } = await tx.notificationDelivery.updateMany({
      where: { id: d.id, status: "pending", attempts: d.attempts },
      data: { status: outcome === "retrying" ? "pending" : outcome, lastError: result.ok ? null : result.error, nextAttemptAt },
    });
    if (count === 1 && outcome === "retrying") await enqueueNotifications(tx, [{ deliveryId: d.id, startAfter: nextAttemptAt }]);
    return count === 1;
  });
  if (!recorded) {
    log.warn({ deliveryId: d.id, attempt: d.attempts }, "alert sent after this worker's lease ran out; another attempt owns the delivery now");
    return "skipped";
  }
  if (!result.ok) log.warn({ deliveryId: d.id, channelId: d.channelId, attempt: d.attempts, error: result.error, final: finalFailure }, "alert delivery failed");
  return outcome;
}
