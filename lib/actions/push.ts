import { headers } from "next/headers";
import { z } from "zod";
import { publicUrl } from "../auth/options";
import { requestMeta } from "../auth/request-meta";
import { principalLabel } from "../auth/roles";
import { createDeployHook, deleteDeployHook, deployHookInputSchema, saveWebhook, webhookInputSchema } from "../deploy/push-hooks";
import { receiveDeployHook, receivePush, type HookAnswer } from "../deploy/push";
import { enqueueDeploy } from "../jobs/queues";
import { log } from "../log";
import { readBodyWithin } from "../web/body-limit";
import { webSettings } from "../web/settings";
import { withRequestLog } from "./api";
import { defineAction } from "./core";

/** Push to deploy (issue 15): the admin actions that make the URLs, and the open routes providers call. */
export function webhookUrl(appId: string): string {
  return new URL(`/api/hooks/apps/${encodeURIComponent(appId)}/push`, publicUrl()).toString();
}

export function deployHookUrl(token: string): string {
  return new URL(`/api/hooks/deploy/${token}`, publicUrl()).toString();
}

export const saveWebhookAction = defineAction({
  name: "app.webhook.save",
  permission: "manageApps",
  input: webhookInputSchema,
  async handler(input, ctx) {
    const saved = await saveWebhook(ctx.tx, input, principalLabel(ctx.principal));
    // The secret never reaches the audit log: only that it was made or rotated.
    ctx.audit({ type: "app", id: saved.app.id, name: saved.app.name }, { branch: saved.branch, tagPattern: saved.tagPattern, environment: saved.environment, rotated: saved.rotated });
    return { url: webhookUrl(saved.app.id), secret: saved.secret, branch: saved.branch, tagPattern: saved.tagPattern, environment: saved.environment, rotated: saved.rotated };
  },
});

export const createDeployHookAction = defineAction({
  name: "app.deploy_hook.create",
  permission: "manageApps",
  input: deployHookInputSchema,
  async handler(input, ctx) {
    const { app, token, hook } = await createDeployHook(ctx.tx, input, principalLabel(ctx.principal));
    ctx.audit({ type: "app", id: app.id, name: app.name }, { deployHookId: hook.id, name: hook.name, ref: hook.ref, environment: hook.environment });
    return { id: hook.id, name: hook.name, ref: hook.ref, environment: hook.environment, url: deployHookUrl(token) };
  },
});

export const deleteDeployHookAction = defineAction({
  name: "app.deploy_hook.delete",
  permission: "manageApps",
  input: z.object({ appId: z.string().min(1, "is required").max(64), hookId: z.string().min(1, "is required").max(64) }),
  async handler(input, ctx) {
    const hook = await deleteDeployHook(ctx.tx, input.appId, input.hookId);
    ctx.audit({ type: "app", id: input.appId, name: hook.app.name }, { deployHookId: hook.id, name: hook.name, ref: hook.ref });
    return { id: hook.id };
  },
});

type Params = { params: Promise<Record<string, string | string[]>> };

async function answer(result: HookAnswer): Promise<Response> {
  if (result.deployId) {
    try {
      await enqueueDeploy(result.deployId);
    } catch (err) {
      // The queued row stands; the sweeper re-sends a deploy whose job went missing.
      log.error({ err, deployId: result.deployId }, "could not enqueue a pushed deploy");
    }
  }
  return Response.json(result.body, { status: result.status });
}

/** POST /api/hooks/apps/{appId}/push: no session or token; the signature is the authentication. */
export const pushWebhookRoute = withRequestLog(async (req: Request, ctx: Params) => {
  const { appId } = await ctx.params;
  const body = await readBodyWithin(req.body, webSettings().maxBodyBytes);
  const meta = requestMeta(await headers());
  return answer(await receivePush(String(appId), { get: (n) => req.headers.get(n), body, meta }));
});

/** POST /api/hooks/deploy/{token}: the token in the path is the authentication; a body, if any, is not read. */
export const deployHookRoute = withRequestLog(async (req: Request, ctx: Params) => {
  const { token } = await ctx.params;
  return answer(await receiveDeployHook(String(token), requestMeta(await headers())));
});
