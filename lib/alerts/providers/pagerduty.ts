import { z } from "zod";
import { clip, type AlertMessage } from "../message";
import { postJson } from "../webhook";
import { baseUrl } from "./fields";
import { urlHint, urlHost, type AlertProvider } from "./types";

/**
 * PagerDuty Events API v2. A monitor going down (or degraded) triggers an alert whose `dedup_key` is the
 * incident's, and its recovery resolves that same key; a failed, rolled-back or interrupted deploy triggers
 * one per app (`deckhand-deploy-<appId>`) that the app's next successful deploy resolves. A test is a change
 * event (`/v2/change/enqueue`), so it shows on the service without paging anyone.
 * Fields from PagerDuty's reference: `routing_key` (32 characters), `event_action`, `dedup_key` at most 255;
 * a trigger's `payload` needs `summary` (at most 1,024), `source` and `severity` (critical, error, warning,
 * info); the whole event at most 512 KB. PagerDuty answers 202.
 */
export const PAGERDUTY_LIMITS = { summary: 1_024, dedupKey: 255, eventBytes: 512 * 1024, source: 255 } as const;
export const PAGERDUTY_EVENTS = "https://events.pagerduty.com";

const config = z.object({
  routingKey: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]{32}$/, "must be the 32-character integration key of an Events API v2 integration"),
  baseUrl: baseUrl(PAGERDUTY_EVENTS),
});
type PagerDutyConfig = z.infer<typeof config>;

type Action = "trigger" | "resolve" | "change";

export function pagerDutyAction(m: AlertMessage): Action {
  if (m.event === "test") return "change";
  if (m.event === "monitor.up" || m.event === "deploy.succeeded") return "resolve";
  return "trigger";
}

function source(m: AlertMessage): string {
  const p = m.payload;
  return clip("deploy" in p ? `${p.deploy.app.name} (Deckhand)` : p.monitor.target || p.monitor.name, PAGERDUTY_LIMITS.source);
}

export function pagerDutyEvent(m: AlertMessage, routingKey: string): { path: string; body: Record<string, unknown> } {
  const links = m.links.map((l) => ({ href: l.url, text: l.label }));
  const action = pagerDutyAction(m);
  if (action === "change") {
    return { path: "/v2/change/enqueue", body: { routing_key: routingKey, payload: { summary: clip(m.headline, PAGERDUTY_LIMITS.summary), source: "Deckhand", timestamp: m.at }, links } };
  }
  const dedupKey = clip(m.dedupKey, PAGERDUTY_LIMITS.dedupKey);
  if (action === "resolve") return { path: "/v2/enqueue", body: { routing_key: routingKey, event_action: "resolve", dedup_key: dedupKey } };
  const p = m.payload;
  return {
    path: "/v2/enqueue",
    body: {
      routing_key: routingKey,
      event_action: "trigger",
      dedup_key: dedupKey,
      payload: {
        summary: clip(m.headline, PAGERDUTY_LIMITS.summary),
        source: source(m),
        severity: m.severity,
        timestamp: m.at,
        component: "deploy" in p ? p.deploy.app.name : p.monitor.name,
        group: "deploy" in p ? p.deploy.app.name : (p.monitor.app ?? undefined),
        class: m.event,
        custom_details: Object.fromEntries(m.facts.map((f) => [f.label, f.value])),
      },
      links,
      client: "Deckhand",
      ...(m.links[0] ? { client_url: m.links[0].url } : {}),
    },
  };
}

export const pagerDutyProvider: AlertProvider<PagerDutyConfig> = {
  type: "pagerduty",
  label: "PagerDuty (Events API v2)",
  config,
  secrets: ["routingKey"],
  hosts: (c) => [urlHost(c.baseUrl)],
  hint: (c) => urlHint(c.baseUrl),
  send: (m, c, ctx) => {
    const event = pagerDutyEvent(m, c.routingKey);
    return postJson(`${c.baseUrl}${event.path}`, event.body, ctx);
  },
};
