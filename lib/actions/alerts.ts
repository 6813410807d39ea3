import { z } from "zod";
import { channelInputSchema, channelPatchSchema, createChannel, deleteChannel, sendTestNotification, updateChannel, type ChannelView } from "../alerts/channels";
import { defineAction } from "./core";

const idSchema = z.object({ id: z.string().min(1) });

/** What the audit event keeps of a channel: its settings and the non-secret part of its config. */
function auditView(c: ChannelView) {
  return { type: c.type, enabled: c.enabled, isDefault: c.isDefault, muted: c.muted, mutedUntil: c.mutedUntil, severities: c.severities, config: c.config, credentialsSet: c.credentialsSet };
}

export const createChannelAction = defineAction({
  name: "notification_channel.create",
  permission: "manageMonitors",
  input: channelInputSchema,
  async handler(input, ctx) {
    const channel = await createChannel(ctx.tx, input);
    ctx.audit({ type: "notification_channel", id: channel.id, name: channel.name }, auditView(channel));
    return channel;
  },
});

export const updateChannelAction = defineAction({
  name: "notification_channel.update",
  permission: "manageMonitors",
  input: channelPatchSchema,
  async handler(input, ctx) {
    const { before, after, configChanged } = await updateChannel(ctx.tx, input);
    ctx.audit({ type: "notification_channel", id: after.id, name: after.name }, { before: { name: before.name, ...auditView(before) }, after: { name: after.name, ...auditView(after) }, configChanged });
    return after;
  },
});

export const deleteChannelAction = defineAction({
  name: "notification_channel.delete",
  permission: "manageMonitors",
  input: idSchema,
  async handler({ id }, ctx) {
    const before = await deleteChannel(ctx.tx, id);
    ctx.audit({ type: "notification_channel", id, name: before.name }, { type: before.type });
    return { id, deleted: true };
  },
});

/** Queues a test alert to the channel; 202: the worker sends it (its outcome shows under deliveries). */
export const testChannelAction = defineAction({
  name: "notification_channel.test",
  permission: "manageMonitors",
  input: idSchema,
  async handler({ id }, ctx) {
    const channel = await sendTestNotification(ctx.tx, id);
    ctx.audit({ type: "notification_channel", id, name: channel.name }, { type: channel.type });
    return { id, queued: true };
  },
});
