import { z } from "zod";
import { clip, type AlertMessage, type Tone } from "../message";
import { postJson } from "../webhook";
import { httpUrl } from "../../net/http-url";
import { urlHint, urlHost, type AlertProvider } from "./types";

/**
 * Microsoft Teams: a Workflows ("When a Teams webhook request is received") or incoming-webhook URL, sent one
 * Adaptive Card (version 1.4, what Teams renders from webhooks) as a `message` with one attachment. Teams refuses
 * a message over 28 KB; the card is cut to fit.
 */
export const TEAMS_LIMITS = { bytes: 28 * 1024, cardVersion: "1.4", actions: 5, factValue: 1_000 } as const;

const COLOURS: Record<Tone, string> = { bad: "Attention", warn: "Warning", good: "Good", info: "Accent" };

const config = z.object({ url: httpUrl });
type TeamsConfig = z.infer<typeof config>;

function card(m: AlertMessage, factLimit: number, headlineLimit: number): Record<string, unknown> {
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: TEAMS_LIMITS.cardVersion,
          body: [
            { type: "TextBlock", text: clip(m.title, 200), weight: "Bolder", size: "Medium", wrap: true, color: COLOURS[m.tone] },
            { type: "TextBlock", text: clip(m.headline, headlineLimit), wrap: true },
            { type: "FactSet", facts: m.facts.map((f) => ({ title: f.label, value: clip(f.value, factLimit) })) },
          ],
          actions: m.links.slice(0, TEAMS_LIMITS.actions).map((l) => ({ type: "Action.OpenUrl", title: l.label, url: l.url })),
        },
      },
    ],
  };
}

/** The card, its facts and headline shortened until the whole message is under 28 KB. */
export function teamsBody(m: AlertMessage): Record<string, unknown> {
  let factLimit: number = TEAMS_LIMITS.factValue;
  let headlineLimit = 4_000;
  let body = card(m, factLimit, headlineLimit);
  while (Buffer.byteLength(JSON.stringify(body)) > TEAMS_LIMITS.bytes && (factLimit > 50 || headlineLimit > 200)) {
    factLimit = Math.max(50, Math.floor(factLimit / 2));
    headlineLimit = Math.max(200, Math.floor(headlineLimit / 2));
    body = card(m, factLimit, headlineLimit);
  }
  return body;
}

export const teamsProvider: AlertProvider<TeamsConfig> = {
  type: "teams",
  label: "Microsoft Teams webhook",
  config,
  secrets: ["url"],
  hosts: (c) => [urlHost(c.url)],
  hint: (c) => urlHint(c.url),
  send: (m, c, ctx) => postJson(c.url, teamsBody(m), ctx),
};
