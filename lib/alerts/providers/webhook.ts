import { z } from "zod";
import type { AlertMessage } from "../message";
import { signBody, SIGNATURE_HEADER, TIMESTAMP_HEADER } from "../signing";
import { postJson } from "../webhook";
import { httpUrl } from "../../net/http-url";
import { urlHint, urlHost, type AlertProvider } from "./types";

/**
 * The generic JSON webhook: the alert as Deckhand holds it (docs/alerts.md), with its headline as `text`, and
 * `links`. Signed when the channel has a secret (a channel created now always has one; one saved before
 * signatures existed is sent unsigned until a secret is set).
 */
const config = z.object({
  url: httpUrl,
  secret: z.string().min(16, "the signing secret must be at least 16 characters").max(200).optional(),
});
type WebhookConfig = z.infer<typeof config>;

export function webhookBody(m: AlertMessage): Record<string, unknown> {
  return { ...m.payload, text: m.headline, title: m.title, severity: m.severity, links: m.links };
}

export function webhookHeaders(m: AlertMessage, body: string, secret: string | undefined, deliveryId: string, now: Date): Record<string, string> {
  const headers: Record<string, string> = { "x-deckhand-event": m.event, "x-deckhand-delivery": deliveryId };
  if (!secret) return headers;
  const timestamp = Math.floor(now.getTime() / 1000);
  return { ...headers, [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: signBody(secret, timestamp, body) };
}

export const webhookProvider: AlertProvider<WebhookConfig> = {
  type: "webhook",
  label: "Generic JSON webhook (signed)",
  config,
  secrets: ["url", "secret"],
  hosts: (c) => [urlHost(c.url)],
  hint: (c) => urlHint(c.url),
  send: (m, c, ctx) => {
    const body = JSON.stringify(webhookBody(m));
    return postJson(c.url, body, { ...ctx, headers: webhookHeaders(m, body, c.secret, ctx.deliveryId, new Date()) });
  },
};
