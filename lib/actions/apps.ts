import { createApp, updateApp } from "../apps/apps";
import { appInputSchema, appUpdateSchema } from "../apps/schemas";
import { defineAction } from "./core";

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
  input: appInputSchema,
  async handler(input, ctx) {
    const app = await createApp(ctx.tx, input);
    ctx.audit({ type: "app", id: app.id, name: app.name }, auditView(app));
    return app;
  },
});

export const updateAppAction = defineAction({
  name: "app.update",
  permission: "manageApps",
  input: appUpdateSchema,
  async handler({ appId, ...input }, ctx) {
    const { before, after } = await updateApp(ctx.tx, appId, input);
    ctx.audit({ type: "app", id: after.id, name: after.name }, { before: auditView(before), after: auditView(after) });
    return after;
  },
});
