import { z } from "zod";
import { channelInputSchema, channelPatchSchema, createChannel, deleteChannel, sendTestNotification, updateChannel } from "../alerts/channels";
import { createMonitor, deleteMonitor, monitorInputSchema, pauseMonitor, resumeMonitor, updateMonitor } from "../health/monitors";
import { loadNetworkPolicy, networkPolicySchema, saveNetworkPolicy } from "../net/guard";
import { defineAction } from "./core";

const idSchema = z.object({ id: z.string().min(1) });

/** Monitor ids go out as given; dates as ISO strings (the API and server actions share this shape). */
function publicMonitor<T extends { lastCheckedAt: Date | null; nextRunAt: Date; createdAt: Date }>(m: T) {
  return { ...m, lastCheckedAt: m.lastCheckedAt?.toISOString() ?? null, nextRunAt: m.nextRunAt.toISOString(), createdAt: m.createdAt.toISOString() };
}

export const createMonitorAction = defineAction({
  name: "monitor.create",
  permission: "manageMonitors",
  input: monitorInputSchema,
  async handler(input, ctx) {
    const monitor = await createMonitor(ctx.tx, input);
    ctx.audit({ type: "monitor", id: monitor.id, name: monitor.name }, { type: monitor.type, target: monitor.url ?? (monitor.host ? `${monitor.host}:${monitor.port}` : monitor.command), intervalSeconds: monitor.intervalSeconds });
    return publicMonitor(monitor);
  },
});

export const updateMonitorAction = defineAction({
  name: "monitor.update",
  permission: "manageMonitors",
  // The whole monitor is validated after merging the change into it (see updateMonitor).
  input: idSchema.catchall(z.unknown()),
  async handler({ id, ...patch }, ctx) {
    const { before, after } = await updateMonitor(ctx.tx, id, patch);
    const changed = Object.fromEntries(
      (Object.keys(after) as (keyof typeof after)[])
        .filter((k) => k in patch && String(before[k]) !== String(after[k]))
        .map((k) => [k, { before: before[k], after: after[k] }]),
    );
    ctx.audit({ type: "monitor", id: after.id, name: after.name }, { changed });
    return publicMonitor(after);
  },
});

export const pauseMonitorAction = defineAction({
  name: "monitor.pause",
  permission: "manageMonitors",
  input: idSchema,
  async handler({ id }, ctx) {
    const { before, after } = await pauseMonitor(ctx.tx, id);
    ctx.audit({ type: "monitor", id, name: after.name }, { before: { status: before.status } });
    return publicMonitor(after);
  },
});

export const resumeMonitorAction = defineAction({
  name: "monitor.resume",
  permission: "manageMonitors",
  input: idSchema,
  async handler({ id }, ctx) {
    const { after } = await resumeMonitor(ctx.tx, id);
    ctx.audit({ type: "monitor", id, name: after.name });
    return publicMonitor(after);
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

export const createChannelAction = defineAction({
  name: "notification_channel.create",
  permission: "manageMonitors",
  input: channelInputSchema,
  async handler(input, ctx) {
    const channel = await createChannel(ctx.tx, input);
    ctx.audit({ type: "notification_channel", id: channel.id, name: channel.name }, { type: channel.type, enabled: channel.enabled });
    return channel;
  },
});

export const updateChannelAction = defineAction({
  name: "notification_channel.update",
  permission: "manageMonitors",
  input: channelPatchSchema,
  async handler(input, ctx) {
    const { before, after, urlChanged } = await updateChannel(ctx.tx, input);
    ctx.audit(
      { type: "notification_channel", id: after.id, name: after.name },
      { before: { name: before.name, enabled: before.enabled, type: before.type }, after: { name: after.name, enabled: after.enabled, type: after.type }, urlChanged },
    );
    return after;
  },
});

export const deleteChannelAction = defineAction({
  name: "notification_channel.delete",
  permission: "manageMonitors",
  input: idSchema,
  async handler({ id }, ctx) {
    const before = await deleteChannel(ctx.tx, id);
    ctx.audit({ type: "notification_channel", id, name: before.name });
    return { id, deleted: true };
  },
});

export const testChannelAction = defineAction({
  name: "notification_channel.test",
  permission: "manageMonitors",
  input: idSchema,
  async handler({ id }, ctx) {
    const channel = await sendTestNotification(ctx.tx, id);
    ctx.audit({ type: "notification_channel", id, name: channel.name });
    return { id, queued: true };
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
