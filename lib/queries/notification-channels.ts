import { db } from "../db/client";
import { getChannel, listChannels, type ChannelView } from "../alerts/channels";
import { DEFAULT_DENIED_RANGES, loadNetworkPolicy } from "../net/guard";

/** The alerts page's channel list: settings, the non-secret config, and `urlHint` (where it sends, no secret in it). */
export async function listNotificationChannels() {
  const channels = await listChannels(db());
  return channels.map((c) => ({ ...c, createdAt: c.createdAt.getTime(), updatedAt: c.updatedAt.getTime(), mutedUntil: c.mutedUntil?.getTime() ?? null, urlHint: c.hint }));
}
export type NotificationChannelRow = Awaited<ReturnType<typeof listNotificationChannels>>[number];

/** GET /api/v1/channels and /channels/{id}: what POST answered, dates as ISO strings. */
function channelJson(c: ChannelView) {
  return { ...c, mutedUntil: c.mutedUntil?.toISOString() ?? null, createdAt: c.createdAt.toISOString(), updatedAt: c.updatedAt.toISOString() };
}

export async function listChannelsJson() {
  return (await listChannels(db())).map(channelJson);
}

export async function getChannelJson(id: string) {
  return channelJson(await getChannel(db(), id));
}

/** Channels for the pickers on monitors and apps. */
export async function listChannelOptions() {
  return db().notificationChannel.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, type: true, isDefault: true, enabled: true } });
}
export type ChannelOption = Awaited<ReturnType<typeof listChannelOptions>>[number];

export async function listRecentDeliveries(limit = 50) {
  const rows = await db().notificationDelivery.findMany({
    orderBy: { createdAt: "desc" },
    take: limit,
    select: { id: true, event: true, status: true, attempts: true, lastError: true, nextAttemptAt: true, createdAt: true, payload: true, channel: { select: { name: true } } },
  });
  return rows.map((d) => {
    const payload = d.payload as { monitor?: { name?: string }; deploy?: { kind?: string; app?: { name?: string } } } | null;
    const subject = payload?.monitor?.name ?? (payload?.deploy?.app?.name ? `${payload.deploy.kind ?? "deploy"} of ${payload.deploy.app.name}` : null);
    return {
      id: d.id,
      channel: d.channel.name,
      event: d.event,
      monitor: subject,
      status: d.status,
      attempts: d.attempts,
      lastError: d.lastError,
      nextAttemptAt: d.status === "pending" ? d.nextAttemptAt.getTime() : null,
      createdAt: d.createdAt.getTime(),
    };
  });
}

export async function getNetworkPolicy() {
  return { ...(await loadNetworkPolicy(db())), defaults: DEFAULT_DENIED_RANGES };
}
