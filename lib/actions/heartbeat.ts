import { z } from "zod";
import { publicUrl } from "../auth/options";
import { db } from "../db/client";
import { NotFoundError, ValidationError } from "../errors";
import { beatReportSchema, newPushToken, pushTokenOf, receiveBeat } from "../health/heartbeat";
import { readBodyWithin } from "../web/body-limit";
import { isJsonMediaType } from "../web/content-type";
import { webSettings } from "../web/settings";
import { withRequestLog } from "./api";
import { defineAction, zodMessage } from "./core";

/** Heartbeat (push) monitors (issue 14): the push URL an admin sees, its rotation, and the open route jobs call. */
export function pushUrl(token: string): string {
  return new URL(`/api/push/${token}`, publicUrl()).toString();
}

/** A heartbeat monitor's push URL (null for other types): admins only, like the rest of a monitor's settings. */
export async function pushUrlOf(monitorId: string): Promise<string | null> {
  const token = await pushTokenOf(db(), monitorId);
  return token ? pushUrl(token) : null;
}

export const rotatePushTokenAction = defineAction({
  name: "monitor.push_token.rotate",
  permission: "manageMonitors",
  input: z.object({ id: z.string().min(1, "is required").max(64) }),
  async handler({ id }, ctx) {
    const monitor = await ctx.tx.monitor.findUnique({ where: { id }, select: { id: true, name: true, type: true } });
    if (!monitor) throw new NotFoundError("Monitor");
    if (monitor.type !== "heartbeat") throw new ValidationError("id: only a heartbeat monitor has a push URL");
    const token = newPushToken();
    await ctx.tx.monitor.update({ where: { id }, data: { pushTokenHash: token.pushTokenHash, pushTokenEncrypted: token.pushTokenEncrypted } });
    // The token never reaches the audit log: only that it was replaced.
    ctx.audit({ type: "monitor", id, name: monitor.name }, { rotated: true });
    return { id, pushUrl: pushUrl(token.token) };
  },
});

type Params = { params: Promise<Record<string, string | string[]>> };

/** A beat's report: the query string, and on POST a JSON body (its fields win); any other body is not read as a report. */
async function reportOf(req: Request) {
  const fields: Record<string, unknown> = Object.fromEntries(new URL(req.url).searchParams);
  if (req.method === "POST") {
    const text = await readBodyWithin(req.body, webSettings().maxBodyBytes);
    if (text.trim() && isJsonMediaType(req.headers.get("content-type") ?? undefined)) {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new ValidationError("The body is not valid JSON");
      }
      if (typeof body !== "object" || body === null || Array.isArray(body)) throw new ValidationError("The body must be a JSON object");
      Object.assign(fields, body);
    }
  }
  const parsed = beatReportSchema.safeParse({ status: fields.status, msg: fields.msg, ping: fields.ping });
  if (!parsed.success) throw new ValidationError(zodMessage(parsed.error), parsed.error.issues);
  return parsed.data;
}

/**
 * GET or POST /api/push/{token}: no session or API token, the secret token in the path is the authentication.
 * A beat is monitoring data like a check's result, not a change of settings: it is not audited.
 */
export const pushBeatRoute = withRequestLog(async (req: Request, ctx: Params) => {
  const { token } = await ctx.params;
  const report = await reportOf(req);
  const beat = await receiveBeat(db(), String(token), report);
  return Response.json({ ok: true, status: beat.status }, { headers: { "cache-control": "no-store" } });
});
