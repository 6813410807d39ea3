import { checkDeadline } from "../net/deadline";
import { describeNetworkError } from "../net/errors";
import { TargetDeniedError } from "../net/guard";
import { guardedRequest, readUpTo, type OutboundPolicy } from "../net/http";

export interface WebhookResult {
  ok: boolean;
  status: number | null;
  error: string | null;
}

export interface PostOptions extends OutboundPolicy {
  signal?: AbortSignal;
  /** Sent after the defaults (a signature, a token). */
  headers?: Record<string, string>;
}

/**
 * Alert webhooks go through the same guard and pinned connection as checks. A redirect is answered as a
 * failure, not followed: the signature or token a request carries is for the address the channel names.
 */
export async function postJson(url: string, payload: unknown, ctx: PostOptions, timeoutMs = 10_000): Promise<WebhookResult> {
  const deadline = checkDeadline(timeoutMs, ctx.signal);
  const body = typeof payload === "string" ? payload : JSON.stringify(payload);
  try {
    const headers = { "user-agent": "Deckhand-Alerts/1.0", ...ctx.headers };
    const { res } = await guardedRequest(new URL(url), "POST", ctx, deadline.signal, body, { headers, maxRedirects: 0 });
    const status = res.statusCode ?? 0;
    const text = status >= 200 && status < 300 ? "" : await readUpTo(res, 500).catch(() => "");
    res.destroy();
    if (status >= 200 && status < 300) return { ok: true, status, error: null };
    const redirect = status >= 300 && status < 400 ? " (redirects are not followed: give the final URL)" : "";
    return { ok: false, status, error: `HTTP ${status}${redirect}${text ? `: ${text.trim().slice(0, 200)}` : ""}` };
  } catch (err) {
    const reason: unknown = deadline.signal.aborted ? deadline.signal.reason : err;
    return { ok: false, status: null, error: reason instanceof TargetDeniedError ? reason.message : describeNetworkError(reason) };
  } finally {
    deadline.done();
  }
}
