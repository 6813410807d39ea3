import { db } from "../db/client";
import { decryptSecret } from "../crypto/secretbox";
import { DEFAULT_DENIED_RANGES, loadNetworkPolicy } from "../net/guard";

/** Only the host of a webhook URL is shown: the path of a Slack or similar hook is its secret. */
function urlHint(encrypted: string): string {
  try {
    const u = new URL(decryptSecret(encrypted));
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return "(cannot be decrypted)";
  }
}

export async function listNotificationChannels() {
  const rows = await db().notificationChannel.findMany({
    orderBy: { name: "asc" },
    select: { id: true, name: true, type: true, enabled: true, createdAt: true, encryptedUrl: true },
  });
  return rows.map(({ encryptedUrl, ...c }) => ({ ...c, createdAt: c.createdAt.getTime(), urlHint: urlHint(encryptedUrl) }));
}
export type NotificationChannelRow = Awaited<ReturnType<typeof listNotificationChannels>>[number];

export async function listRecentDeliveries(limit = 50) {
  const rows = await db().notificationDelivery.findMany({
    orderBy: { createdAt: "desc" },
    take: limit,
    select: { id: true, event: true, status: true, attempts: true, lastError: true, nextAttemptAt: true, createdAt: true, payload: true, channel: { select: { name: true } } },
  });
  return rows.map((d) => {
    const payload = d.payload as { monitor?: { name?: string } } | null;
    return {
      id: d.id,
      channel: d.channel.name,
      event: d.event,
      monitor: payload?.monitor?.name ?? null,
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
