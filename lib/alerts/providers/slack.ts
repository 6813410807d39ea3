import { z } from "zod";
import { clip, type AlertMessage } from "../message";
import { postJson } from "../webhook";
import { httpUrl } from "../../net/http-url";
import { urlHint, urlHost, type AlertProvider } from "./types";

/**
 * Slack incoming webhooks (and Slack-compatible ones: Mattermost, Rocket.Chat read `text`). Limits from Slack's
 * reference: `text` is the notification fallback (truncated past 40,000 characters; kept far below), at most 50
 * blocks, a section's text at most 3,000 characters, at most 10 fields of at most 2,000 each, a context at most
 * 10 elements. `&`, `<` and `>` are escaped in mrkdwn; links are `<url|label>`.
 */
export const SLACK_LIMITS = { text: 3_000, blocks: 50, sectionText: 3_000, fields: 10, fieldText: 2_000, contextElements: 10 } as const;

const config = z.object({ url: httpUrl });
type SlackConfig = z.infer<typeof config>;

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function linkLabel(label: string): string {
  return escape(label).replace(/\|/g, "¦");
}

/** The body: `text` is the headline (plus the link, so a Slack-compatible hook that ignores blocks still has it). */
export function slackBody(m: AlertMessage): Record<string, unknown> {
  const first = m.links[0];
  const text = clip(escape(m.headline) + (first ? `\n${first.url}` : ""), SLACK_LIMITS.text);
  const blocks: Record<string, unknown>[] = [{ type: "section", text: { type: "mrkdwn", text: clip(`*${escape(m.title)}*\n${escape(m.headline)}`, SLACK_LIMITS.sectionText) } }];
  if (m.facts.length) {
    blocks.push({
      type: "section",
      fields: m.facts.slice(0, SLACK_LIMITS.fields).map((f) => ({ type: "mrkdwn", text: clip(`*${escape(f.label)}*\n${escape(f.value)}`, SLACK_LIMITS.fieldText) })),
    });
  }
  if (m.links.length) {
    blocks.push({ type: "context", elements: m.links.slice(0, SLACK_LIMITS.contextElements).map((l) => ({ type: "mrkdwn", text: `<${l.url}|${linkLabel(l.label)}>` })) });
  }
  return { text, blocks, deckhand: m.payload };
}

export const slackProvider: AlertProvider<SlackConfig> = {
  type: "slack",
  label: "Slack (or Slack-compatible) webhook",
  config,
  secrets: ["url"],
  hosts: (c) => [urlHost(c.url)],
  hint: (c) => urlHint(c.url),
  send: (m, c, ctx) => postJson(c.url, slackBody(m), ctx),
};
