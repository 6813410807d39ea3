import { checkDeadline } from "../net/deadline";
import { describeNetworkError } from "../net/errors";
import { TargetDeniedError } from "../net/guard";
import { guardedRequest, readUpTo, type OutboundPolicy } from "../net/http";

export interface WebhookResult {
  ok: boolean;
  status: number | null;
  error: string | null;
}

/** Alert webhooks go through the same guard and pinned connection as checks. */
export async function postJson(url: string, payload: unknown, ctx: OutboundPolicy & { signal?: AbortSignal }, timeoutMs = 10_000): Promise<WebhookResult> {
  const deadline = checkDeadline(timeoutMs, ctx.signal);
  try {
    const { res } = await guardedRequest(new URL(url), "POST", ctx, deadline.signal, JSON.stringify(payload));
    const status = res.statusCode ?? 0;
    const text = status >= 200 && status < 300 ? "" : await readUpTo(res, 500).catch(() => "");
    res.destroy();
    if (status >= 200 && status < 300) return { ok: true, status, error: null };
    return { ok: false, status, error: `HTTP ${status}${text ? `: ${text.trim().slice(0, 200)}` : ""}` };
  } catch (err) {
    const reason: unknown = deadline.signal.aborted ? deadline.signal.reason : err;
    return { ok: false, status: null, error: reason instanceof TargetDeniedError ? reason.message : describeNetworkError(reason) };
  } finally {
    deadline.done();
  }
}
