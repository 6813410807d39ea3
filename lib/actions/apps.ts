import { z } from "zod";
import { appChannelIds, channelIdsSchema, setAppChannels } from "../alerts/routing";
import { appForDeletion, assertNoActiveDeploy, createApp, deleteApp, updateApp } from "../apps/apps";
import { appInputSchema, appUpdateSchema, ENV_NAME } from "../apps/schemas";
import { resolveEnvironment } from "../apps/environments";
import { listSecretNames, removeSecret, setSecret } from "../apps/secrets";
import { environmentNameSchema } from "./schemas/environments";
import { db } from "../db/client";
import { removeAppFiles } from "../deploy/remove-app";
import { AppError, NotFoundError } from "../errors";
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

const appId = z.string().min(1, "is required").max(64);

/** `?removeReleases=true|false` (a query string is text; a server action may send a boolean). */
const flag = z.preprocess((v) => (v === "true" || v === "1" ? true : v === "false" || v === "0" || v === "" ? false : v), z.boolean({ message: "must be true or false" }));

export const deleteAppInputSchema = z.object({ appId, removeReleases: flag.default(false) });

export interface DeletedApp {
  id: string;
  name: string;
  deleted: true;
  releasesRemoved: boolean;
  /** With removeReleases: each target server, and whether its files were removed. */
  servers: { serverId: string; server: string; removed: boolean; error?: string }[];
  monitorsRemoved: string[];
}

/**
 * Deletes an app. With removeReleases, first removes releases/, current and shared/ under its deploy path
 * from every target server over SSH; the app is deleted only when every server succeeded, otherwise the
 * answer (502) and the audit event say which servers failed and why, and the app stays so it can be retried.
 */
export const deleteAppAction = defineAction({
  name: "app.delete",
  permission: "manageApps",
  input: deleteAppInputSchema,
  // SSH must not hold a transaction open; the row itself goes in a transaction of its own (lib/apps).
  transaction: false,
  async handler(input, ctx): Promise<DeletedApp> {
    const app = await appForDeletion(ctx.tx, input.appId);
    const target = { type: "app", id: app.id, name: app.name };
    const base = { name: app.name, deployPath: app.deployPath, targets: app.targets.map((t) => t.server.name), removeReleases: input.removeReleases, monitorsRemoved: app.monitors.map((m) => m.name) };
    // Named from the start, so a refusal (a deploy running) is audited against the app too.
    ctx.audit(target, { ...base, deleted: false });
    await assertNoActiveDeploy(ctx.tx, app);
    let servers: DeletedApp["servers"] = [];
    if (input.removeReleases) {
      // Each environment's servers, at that environment's deploy path (the app's unless it sets its own).
      const byPath = new Map<string, typeof app.targets>();
      for (const t of app.targets) {
        const p = t.environment?.deployPath ?? app.deployPath;
        byPath.set(p, [...(byPath.get(p) ?? []), t]);
      }
      servers = (
        await Promise.all(
          [...byPath].map(([deployPath, targets]) =>
            removeAppFiles(
              deployPath,
              targets.map((t) => t.server.id),
            ),
          ),
        )
      ).flat();
      const failed = servers.filter((s) => !s.removed);
      if (failed.length > 0) {
        ctx.audit(target, { ...base, servers, deleted: false });
        const removed = servers.filter((s) => s.removed).map((s) => s.server);
        throw new AppError(
          502,
          "remote_failed",
          `Could not remove ${app.name}'s releases from ${failed.map((f) => `${f.server} (${f.error})`).join("; ")}.${removed.length ? ` They were removed from ${removed.join(", ")}.` : ""} The app was not deleted: fix the server and try again, or delete it without removing its releases.`,
          { servers },
        );
      }
    }
    const note = servers.length ? `; its releases were already removed from ${servers.map((s) => s.server).join(", ")}` : "";
    // Recorded before the row goes, so a refusal at the last moment (a deploy requested meanwhile) is audited with what was removed.
    ctx.audit(target, { ...base, servers, deleted: false });
    await deleteApp(db(), app, note);
    ctx.audit(target, { ...base, servers, deleted: true });
    return { id: app.id, name: app.name, deleted: true, releasesRemoved: input.removeReleases, servers, monitorsRemoved: base.monitorsRemoved };
  },
});

const envKey = z.string().min(1, "is required").max(255, "must be at most 255 characters").regex(ENV_NAME, "must be an environment variable name: letters, digits and _, not starting with a digit");

/** `environment`: whose variable (default production; each environment has its own). */
export const envKeyParams = z.object({ appId, key: envKey, environment: environmentNameSchema.optional() });

/** The environment a variable belongs to: its id, or undefined for production (the secrets' default). */
async function variableEnvironment(tx: Parameters<typeof listSecretNames>[0], appId: string, name: string | undefined): Promise<{ id?: string; name: string }> {
  if (!name || name === "production") return { name: "production" };
  const env = await resolveEnvironment(tx, appId, name);
  return { id: env.id, name: env.name };
}

async function appRef(tx: Parameters<typeof listSecretNames>[0], id: string) {
  const app = await tx.app.findUnique({ where: { id }, select: { id: true, name: true } });
  if (!app) throw new NotFoundError("App");
  return app;
}

/** Adds one variable or replaces its value. The value is write-only: neither the answer nor the audit event has it. */
export const setEnvVarAction = defineAction({
  name: "app.env.set",
  permission: "manageApps",
  input: envKeyParams.extend({ value: z.string({ message: "value: is required (a string)" }).max(10_000, "must be at most 10000 characters") }),
  async handler(input, ctx) {
    const app = await appRef(ctx.tx, input.appId);
    const env = await variableEnvironment(ctx.tx, app.id, input.environment);
    const { created } = await setSecret(ctx.tx, app.id, input.key, input.value, env.id);
    ctx.audit({ type: "app", id: app.id, name: app.name }, { variable: input.key, environment: env.name, created });
    return { appId: app.id, key: input.key, environment: env.name, set: true as const, created };
  },
});

/** Removes one variable (404 when the app has none by that name). */
export const removeEnvVarAction = defineAction({
  name: "app.env.remove",
  permission: "manageApps",
  input: envKeyParams,
  async handler(input, ctx) {
    const app = await appRef(ctx.tx, input.appId);
    const env = await variableEnvironment(ctx.tx, app.id, input.environment);
    if (!(await removeSecret(ctx.tx, app.id, input.key, env.id))) throw new NotFoundError(`Variable ${input.key}${env.id ? ` in ${env.name}` : ""}`);
    ctx.audit({ type: "app", id: app.id, name: app.name }, { variable: input.key, environment: env.name });
    return { appId: app.id, key: input.key, environment: env.name, removed: true as const };
  },
});

/** The app's variables by name; for the API's GET (the page reads them with the app). */
export async function listEnvNames(id: string, environment?: string) {
  const app = await appRef(db(), id);
  const env = await variableEnvironment(db(), app.id, environment);
  return (await listSecretNames(db(), app.id, env.id)).map((v) => ({ key: v.key, set: true as const, updatedAt: v.updatedAt.toISOString() }));
}
