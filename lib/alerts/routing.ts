import { z } from "zod";
import type { Db, Tx } from "../db/client";
import type { Prisma } from "../generated/prisma/client";
import { ValidationError } from "../errors";
import type { Severity } from "./payload";

/**
 * Where an alert goes. A monitor that chose channels alerts those; one that did not alerts its app's choice,
 * if the app made one; otherwise the default channels. A deploy alerts its app's choice, else the defaults.
 * Of those, only channels that are enabled, not muted, and take the alert's severity are sent anything.
 */

/** `channelIds` on monitors and apps: a list of channels, or null for "the default channels". */
export const channelIdsSchema = z.array(z.string().min(1), { error: "channelIds must be a list of channel ids, or null for the default channels" }).max(50, "at most 50 channels").nullable();

async function checkChannels(tx: Tx | Db, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  const found = await tx.notificationChannel.count({ where: { id: { in: unique } } });
  if (found !== unique.length) throw new ValidationError("channelIds: one or more channels do not exist");
  return unique;
}

/** Sets a monitor's channels (null: back to its app's or the default channels). */
export async function setMonitorChannels(tx: Tx | Db, monitorId: string, channelIds: string[] | null): Promise<void> {
  const ids = channelIds ? await checkChannels(tx, channelIds) : [];
  await tx.monitorChannel.deleteMany({ where: { monitorId } });
  if (ids.length) await tx.monitorChannel.createMany({ data: ids.map((channelId) => ({ monitorId, channelId })) });
  await tx.monitor.update({ where: { id: monitorId }, data: { useDefaultChannels: channelIds === null }, select: { id: true } });
}

/** Sets an app's channels, for its deploys and its monitors that did not choose (null: the default channels). */
export async function setAppChannels(tx: Tx | Db, appId: string, channelIds: string[] | null): Promise<void> {
  const ids = channelIds ? await checkChannels(tx, channelIds) : [];
  await tx.appChannel.deleteMany({ where: { appId } });
  if (ids.length) await tx.appChannel.createMany({ data: ids.map((channelId) => ({ appId, channelId })) });
  await tx.app.update({ where: { id: appId }, data: { useDefaultChannels: channelIds === null }, select: { id: true } });
}

/** What the API and pages show: the chosen ids, or null when the monitor or app uses the defaults. */
export async function monitorChannelIds(client: Tx | Db, monitorId: string): Promise<string[] | null> {
  const m = await client.monitor.findUnique({ where: { id: monitorId }, select: { useDefaultChannels: true, channels: { select: { channelId: true }, orderBy: { channelId: "asc" } } } });
  if (!m || m.useDefaultChannels) return null;
  return m.channels.map((c) => c.channelId);
}

export async function appChannelIds(client: Tx | Db, appId: string): Promise<string[] | null> {
  const a = await client.app.findUnique({ where: { id: appId }, select: { useDefaultChannels: true, channels: { select: { channelId: true }, orderBy: { channelId: "asc" } } } });
  if (!a || a.useDefaultChannels) return null;
  return a.channels.map((c) => c.channelId);
}

/** A channel is muted while `muted` and its `mutedUntil`, if any, has not passed. */
export function notMutedWhere(now: Date): Prisma.NotificationChannelWhereInput {
  return { OR: [{ muted: false }, { mutedUntil: { lte: now } }] };
}

export type AlertSubject = { monitorId: string } | { appId: string };

/** The channel ids an alert about this monitor or app goes to. */
export async function routeAlert(tx: Tx | Db, subject: AlertSubject, severity: Severity, now = new Date()): Promise<string[]> {
  let chosen: string[] | null = null;
  if ("monitorId" in subject) {
    const m = await tx.monitor.findUnique({
      where: { id: subject.monitorId },
      select: { useDefaultChannels: true, appId: true, channels: { select: { channelId: true } } },
    });
    if (m && !m.useDefaultChannels) chosen = m.channels.map((c) => c.channelId);
    else if (m?.appId) chosen = await appChannelIds(tx, m.appId);
  } else {
    chosen = await appChannelIds(tx, subject.appId);
  }
  if (chosen && chosen.length === 0) return [];
  const channels = await tx.notificationChannel.findMany({
    where: {
      ...(chosen ? { id: { in: chosen } } : { isDefault: true }),
      enabled: true,
      severities: { has: severity },
      ...notMutedWhere(now),
    },
    select: { id: true },
  });
  return channels.map((c) => c.id);
}

/**
 * Dependencies: a monitor's alerts are held back while the monitor it depends on is down. The reason, as the
 * incident records it ("suppressed: <parent> is down"), or null when its alerts go out.
 */
export async function dependencySuppression(tx: Tx | Db, monitorId: string): Promise<string | null> {
  const m = await tx.monitor.findUnique({ where: { id: monitorId }, select: { dependsOn: { select: { name: true, status: true } } } });
  return m?.dependsOn?.status === "down" ? `suppressed: ${m.dependsOn.name} is down` : null;
}

/** Refuses a parent that does not exist, the monitor itself, or one that (through its own parents) depends on it. */
export async function assertDependencyAllowed(tx: Tx | Db, monitorId: string | null, dependsOnId: string): Promise<void> {
  if (monitorId !== null && dependsOnId === monitorId) throw new ValidationError("dependsOnId: a monitor cannot depend on itself");
  const seen = new Set<string>();
  let cursor: string | null = dependsOnId;
  let first = true;
  let parentName = "";
  while (cursor) {
    if (seen.has(cursor)) break;
    seen.add(cursor);
    const row: { name: string; dependsOnId: string | null } | null = await tx.monitor.findUnique({ where: { id: cursor }, select: { name: true, dependsOnId: true } });
    if (!row) {
      if (first) throw new ValidationError("dependsOnId: no such monitor");
      break;
    }
    if (first) parentName = row.name;
    first = false;
    if (monitorId !== null && row.dependsOnId === monitorId) throw new ValidationError(`dependsOnId: that would make a cycle (${parentName} already depends on this monitor)`);
    cursor = row.dependsOnId;
  }
}
