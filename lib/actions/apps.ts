import { appChannelIds, channelIdsSchema, setAppChannels } from "../alerts/routing";
import { createApp, updateApp } from "../apps/apps";
import { appInputSchema, appUpdateSchema } from "../apps/schemas";
import { defineAction } from "./core";

/** Where the app's alerts go (its deploys, and its monitors that did not choose): a list, or null for the default channels. */
const routing = { channelIds: channelIdsSchema.optional() };

/**
 * An app as its audit events show it: environment variables by name only (under a key the audit
 * redaction leaves alone, since the names are what a reviewer needs), values never.
 */
function auditView(app: Awaited<ReturnType<typeof createApp>>) {
  const { secrets, targets, updatedAt: _updatedAt, ...fields } = app;
  return { ...fields, targets: targets.map((t) => t.server.name), variables: secrets.map((s) => s.name) };
}

export const createAppAction = defineAction({
  name: "app.create",
  permission: "manageApps",
  input: appInputSchema.extend(routing),
  async handler({ channelIds, ...input }, ctx) {
    const app = await createApp(ctx.tx, input);
    if (channelIds !== undefined) await setAppChannels(ctx.tx, app.id, channelIds);
    ctx.audit({ type: "app", id: app.id, name: app.name }, { ...auditView(app), channelIds: channelIds ?? null });
    return { ...app, channelIds: await appChannelIds(ctx.tx, app.id) };
  },
});

export const updateAppAction = defineAction({
  name: "app.update",
  permission: "manageApps",
  input: appUpdateSchema.extend(routing),
  async handler({ appId, channelIds, ...input }, ctx) {
    const channelsBefore = await appChannelIds(ctx.tx, appId);
    const { before, after } = await updateApp(ctx.tx, appId, input);
    if (channelIds !== undefined) await setAppChannels(ctx.tx, appId, channelIds);
    const channelsAfter = await appChannelIds(ctx.tx, appId);
    ctx.audit({ type: "app", id: after.id, name: after.name }, { before: { ...auditView(before), channelIds: channelsBefore }, after: { ...auditView(after), channelIds: channelsAfter } });
    return { ...after, channelIds: channelsAfter };
  },
});
