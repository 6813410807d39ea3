import { z } from "zod";
import { clip, type AlertMessage, type Tone } from "../message";
import { postJson } from "../webhook";
import { httpUrl } from "../../net/http-url";
import { urlHint, urlHost, type AlertProvider } from "./types";

/**
 * Discord webhooks (`https://discord.com/api/webhooks/<id>/<token>`). Limits from Discord's reference: content at
 * most 2,000 characters, at most 10 embeds; an embed's title 256, description 4,096, at most 25 fields with
 * names of 256 and values of 1,024, footer 2,048, and all of one embed's text together at most 6,000.
 * `allowed_mentions.parse = []`: a monitor named "@everyone" pings nobody.
 */
export const DISCORD_LIMITS = { content: 2_000, embeds: 10, title: 256, description: 4_096, fields: 25, fieldName: 256, fieldValue: 1_024, footer: 2_048, embedTotal: 6_000, username: 80 } as const;

const COLOURS: Record<Tone, number> = { bad: 0xdc2626, warn: 0xf59e0b, good: 0x16a34a, info: 0x4f46e5 };

const config = z.object({ url: httpUrl, username: z.string().trim().min(1).max(DISCORD_LIMITS.username).optional() });
type DiscordConfig = z.infer<typeof config>;

/** Markdown's link text may not hold brackets. */
function mdLink(label: string, url: string): string {
  return `[${label.replace(/[[\]]/g, "")}](${url})`;
}

export function discordBody(m: AlertMessage, username = "Deckhand"): Record<string, unknown> {
  const footer = "Deckhand";
  const title = clip(m.title, DISCORD_LIMITS.title);
  const fields = m.facts.slice(0, DISCORD_LIMITS.fields).map((f) => ({
    name: clip(f.label, DISCORD_LIMITS.fieldName),
    value: clip(f.value || "—", DISCORD_LIMITS.fieldValue),
    inline: f.value.length <= 40,
  }));
  const linkLine = m.links.map((l) => mdLink(l.label, l.url)).join(" · ");
  // Whatever the fields leave of the 6,000 goes to the description (the headline and the links).
  const used = title.length + footer.length + fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
  const room = Math.min(DISCORD_LIMITS.description, DISCORD_LIMITS.embedTotal - used);
  const description = linkLine.length + 2 < room ? `${clip(m.headline, room - linkLine.length - 2)}\n\n${linkLine}` : clip(m.headline, room);
  return {
    username,
    allowed_mentions: { parse: [] },
    embeds: [
      {
        title,
        ...(m.links[0] ? { url: m.links[0].url } : {}),
        description,
        color: COLOURS[m.tone],
        timestamp: m.at,
        fields,
        footer: { text: footer },
      },
    ],
  };
}

export const discordProvider: AlertProvider<DiscordConfig> = {
  type: "discord",
  label: "Discord webhook",
  config,
  secrets: ["url"],
  hosts: (c) => [urlHost(c.url)],
  hint: (c) => urlHint(c.url),
  send: (m, c, ctx) => postJson(c.url, discordBody(m, c.username), ctx),
};
