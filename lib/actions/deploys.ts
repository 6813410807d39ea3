import { z } from "zod";
import { env } from "../env";
import { createApp, updateApp } from "../deploy/apps";
import { gitRefSchema } from "../deploy/refs";
import { requestCancel } from "../deploy/lifecycle";
import { createDeployRequest, createRollbackRequest } from "../deploy/requests";
import { appInputSchema, appUpdateSchema, fingerprintSchema, serverInputSchema, serverUpdateSchema } from "../deploy/schemas";
import { createServer, deleteServer, pinHostKey, updateServer, verifyServer } from "../deploy/servers";
import { enqueueDeploy } from "../jobs/queues";
import { defineAction } from "./core";

const id = (name: string) => z.object({ [name]: z.string().min(1, "is required").max(64) });

export const createServerAction = defineAction({
  name: "server.create",
  permission: "manageServers",
  input: serverInputSchema,
  async handler(input, ctx) {
    const { server, publicKey, keyGenerated } = await createServer(ctx.tx, input);
    ctx.audit({ type: "server", id: server.id, name: server.name }, {
      host: server.host,
      port: server.port,
      username: server.username,
      keyFingerprint: server.sshKey.fingerprint,
      keyGenerated,
      hostKeyPinned: server.hostKeyFingerprint,
    });
    return { ...server, publicKey };
  },
});

export const updateServerAction = defineAction({
  name: "server.update",
  permission: "manageServers",
  input: serverUpdateSchema,
  async handler({ serverId, ...input }, ctx) {
    const { before, after } = await updateServer(ctx.tx, serverId, input);
    ctx.audit({ type: "server", id: after.id, name: after.name }, {
      before: { name: before.name, host: before.host, port: before.port, username: before.username, keyFingerprint: before.sshKey.fingerprint },
      after: { name: after.name, host: after.host, port: after.port, username: after.username, keyFingerprint: after.sshKey.fingerprint },
    });
    return after;
  },
});

export const deleteServerAction = defineAction({
  name: "server.delete",
  permission: "manageServers",
  input: id("serverId"),
  async handler(input, ctx) {
    const server = await deleteServer(ctx.tx, String(input.serverId));
    ctx.audit({ type: "server", id: server.id, name: server.name });
    return { id: server.id };
  },
});

export const pinHostKeyAction = defineAction({
  name: "server.pin_host_key",
  permission: "manageServers",
  input: z.object({ serverId: z.string().min(1), fingerprint: fingerprintSchema }),
  async handler(input, ctx) {
    const { server, previous } = await pinHostKey(ctx.tx, input.serverId, input.fingerprint);
    ctx.audit({ type: "server", id: server.id, name: server.name }, { before: { hostKey: previous }, after: { hostKey: input.fingerprint }, repin: previous !== null });
    return { id: server.id, fingerprint: input.fingerprint };
  },
});

export const verifyServerAction = defineAction({
  name: "server.verify",
  permission: "manageServers",
  input: id("serverId"),
  transaction: false,
  async handler(input, ctx) {
    const outcome = await verifyServer(String(input.serverId), env().DECKHAND_SSH_CONNECT_TIMEOUT_MS);
    ctx.audit({ type: "server", id: String(input.serverId) }, { result: outcome.status, presented: outcome.presented });
    return outcome;
  },
});

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

export const startDeployAction = defineAction({
  name: "deploy.start",
  permission: "deploy",
  input: z.object({ appId: z.string().min(1).max(64), ref: gitRefSchema }),
  async handler(input, ctx) {
    const deploy = await createDeployRequest(ctx.tx, input.appId, input.ref, ctx.principal);
    ctx.audit({ type: "deploy", id: deploy.id, name: deploy.app.name }, { appId: input.appId, ref: input.ref });
    return { id: deploy.id, status: deploy.status, appId: input.appId };
  },
  afterCommit: (result) => enqueueDeploy(result.id),
});

export const startRollbackAction = defineAction({
  name: "rollback.start",
  permission: "deploy",
  input: z.object({ appId: z.string().min(1).max(64), releaseId: z.string().min(1).max(64).optional() }),
  async handler(input, ctx) {
    const deploy = await createRollbackRequest(ctx.tx, input.appId, input.releaseId, ctx.principal);
    ctx.audit({ type: "deploy", id: deploy.id, name: deploy.app.name }, { appId: input.appId, releaseId: deploy.release.id, release: deploy.release.dir, commit: deploy.release.commit });
    return { id: deploy.id, status: deploy.status, appId: input.appId };
  },
  afterCommit: (result) => enqueueDeploy(result.id),
});

export const cancelDeployAction = defineAction({
  name: "deploy.cancel",
  permission: "deploy",
  input: id("deployId"),
  async handler(input, ctx) {
    const deploy = await requestCancel(ctx.tx, String(input.deployId));
    ctx.audit({ type: "deploy", id: deploy.id, name: deploy.app.name }, { appId: deploy.appId, kind: deploy.kind, wasStatus: deploy.status });
    return { id: deploy.id, status: deploy.status === "queued" ? "cancelled" : "cancelling" };
  },
});

