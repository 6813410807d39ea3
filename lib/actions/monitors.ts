import { z } from "zod";
import { channelIdsSchema, monitorChannelIds, setMonitorChannels } from "../alerts/routing";
import type { Db, Tx } from "../db/client";
import { createMonitor, deleteMonitor, monitorInputSchema, pauseMonitor, resumeMonitor, updateMonitor } from "../health/monitors";
import { loadNetworkPolicy, networkPolicySchema, saveNetworkPolicy } from "../net/guard";
import { pushTokenOf } from "../health/heartbeat";
import { daysLeft } from "../health/tls";
import { defineAction } from "./core";
import { pushUrl } from "./heartbeat";

const idSchema = z.object({ id: z.string().min(1) });

/**
 * PATCH takes any subset of the fields of a new monitor (each checked after merging, see updateMonitor) and
 * nothing else: the names come from the monitor schema itself, so a field added there is accepted here too.
 */
const monitorFieldNames = [...new Set(monitorInputSchema.options.flatMap((variant) => Object.keys(variant.shape)))];
const monitorPatchSchema = z.object(Object.fromEntries(monitorFieldNames.map((k) => [k, z.unknown().optional()]))).extend(idSchema.shape);

/** Monitor ids go out as given; dates as ISO strings (the API and server actions share this shape); with its channels (null: the defaults). */
async function publicMonitor<T extends { id: string; lastCheckedAt: Date | null; nextRunAt: Date; createdAt: Date; lastBeatAt: Date | null; certNotAfter: Date | null }>(tx: Tx | Db, m: T) {
  const channelIds = await monitorChannelIds(tx, m.id);
  return {
    ...m,
    lastCheckedAt: m.lastCheckedAt?.toISOString() ?? null,
    nextRunAt: m.nextRunAt.toISOString(),
    createdAt: m.createdAt.toISOString(),
    lastBeatAt: m.lastBeatAt?.toISOString() ?? null,
    certNotAfter: m.certNotAfter?.toISOString() ?? null,
    certDaysLeft: m.certNotAfter ? daysLeft(m.certNotAfter, new Date()) : null,
    channelIds,
  };
}

/** A heartbeat monitor's answer to its admin carries its push URL (the URL holds the token: never in the audit log). */
async function withPushUrl<T extends { id: string; type: string }>(tx: Tx | Db, m: T): Promise<T & { pushUrl?: string }> {
  const token = m.type === "heartbeat" ? await pushTokenOf(tx, m.id) : null;
  return token ? { ...m, pushUrl: pushUrl(token) } : m;
}

export const createMonitorAction = defineAction({
  name: "monitor.create",
  permission: "manageMonitors",
  input: monitorInputSchema,
  async handler(input, ctx) {
    const monitor = await createMonitor(ctx.tx, input);
    if (input.channelIds !== undefined) await setMonitorChannels(ctx.tx, monitor.id, input.channelIds);
    ctx.audit(
      { type: "monitor", id: monitor.id, name: monitor.name },
      {
        type: monitor.type,
        target: monitor.url ?? (monitor.host ? `${monitor.host}:${monitor.port}` : monitor.command),
        intervalSeconds: monitor.intervalSeconds,
        ...(monitor.type === "heartbeat" ? { graceSeconds: monitor.graceSeconds, cron: monitor.cron, timeZone: monitor.cronTimeZone } : {}),
        channelIds: input.channelIds ?? null,
      },
    );
    return withPushUrl(ctx.tx, await publicMonitor(ctx.tx, monitor));
  },
});

export const updateMonitorAction = defineAction({
  name: "monitor.update",
  permission: "manageMonitors",
  // The whole monitor is validated after merging the change into it (see updateMonitor).
  input: monitorPatchSchema,
  async handler(input, ctx) {
    const { id, ...fields } = input as { id: string } & Record<string, unknown>;
    // Only the fields the request named (an absent optional key stays absent).
    const patch: Record<string, unknown> = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    const channelsBefore = "channelIds" in patch ? await monitorChannelIds(ctx.tx, id) : undefined;
    const { before, after } = await updateMonitor(ctx.tx, id, patch);
    const changed: Record<string, unknown> = Object.fromEntries((Object.keys(after) as (keyof typeof after)[]).filter((k) => k in patch && String(before[k]) !== String(after[k])).map((k) => [k, { before: before[k], after: after[k] }]));
    // updateMonitor validated the whole monitor, channelIds included.
    const channelIds = channelIdsSchema.safeParse(patch.channelIds);
    if ("channelIds" in patch && channelIds.success) {
      await setMonitorChannels(ctx.tx, id, channelIds.data);
      changed.channelIds = { before: channelsBefore, after: channelIds.data };
    }
    ctx.audit({ type: "monitor", id: after.id, name: after.name }, { changed });
    return withPushUrl(ctx.tx, await publicMonitor(ctx.tx, after));
  },
});

export const pauseMonitorAction = defineAction({
  name: "monitor.pause",
  permission: "manageMonitors",
  input: idSchema,
  async handler({ id }, ctx) {
    const { before, after } = await pauseMonitor(ctx.tx, id);
    ctx.audit({ type: "monitor", id, name: after.name }, { before: { status: before.status } });
    return publicMonitor(ctx.tx, after);
  },
});

export const resumeMonitorAction = defineAction({
  name: "monitor.resume",
  permission: "manageMonitors",
  input: idSchema,
  async handler({ id }, ctx) {
    const { after } = await resumeMonitor(ctx.tx, id);
    ctx.audit({ type: "monitor", id, name: after.name });
    return publicMonitor(ctx.tx, after);
  },
});

export const deleteMonitorAction = defineAction({
  name: "monitor.delete",
  permission: "manageMonitors",
  input: idSchema,
  async handler({ id }, ctx) {
    const before = await deleteMonitor(ctx.tx, id);
    ctx.audit({ type: "monitor", id, name: before.name }, { type: before.type });
    return { id, deleted: true };
  },
});

export const updateNetworkPolicyAction = defineAction({
  name: "settings.health_network",
  permission: "manageSettings",
  input: z.object({
    deny: z.preprocess(splitRanges, networkPolicySchema.shape.deny),
    allow: z.preprocess(splitRanges, networkPolicySchema.shape.allow),
  }),
  async handler(input, ctx) {
    const before = await loadNetworkPolicy(ctx.tx);
    const after = await saveNetworkPolicy(ctx.tx, input);
    ctx.audit({ type: "setting", id: "health.network", name: "health.network" }, { before, after });
    return after;
  },
});

/** A textarea sends "10.0.0.0/8, fd00::/8\n192.0.2.1"; the API sends an array. */
function splitRanges(v: unknown): unknown {
  if (typeof v !== "string") return v ?? [];
  return v
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}
