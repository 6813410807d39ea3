import { z } from "zod";
import { clip, type AlertMessage } from "../message";
import { postJson } from "../webhook";
import { baseUrl } from "./fields";
import { urlHint, urlHost, type AlertProvider } from "./types";

/**
 * Telegram Bot API `sendMessage` (`<baseUrl>/bot<token>/sendMessage`): `chat_id` and `text` required, the text
 * 1–4,096 characters after entities are parsed (cut before parsing here, so it is shorter still), HTML parse
 * mode with `<`, `>`, `&` escaped in every value and only `<b>` and `<a href>` used.
 */
export const TELEGRAM_LIMITS = { text: 4_096 } as const;
export const TELEGRAM_API = "https://api.telegram.org";

const config = z.object({
  botToken: z
    .string()
    .trim()
    .regex(/^\d{1,20}:[A-Za-z0-9_-]{20,100}$/, "must be a bot token from @BotFather (digits:letters)"),
  chatId: z
    .string()
    .trim()
    .regex(/^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31})$/, "must be a numeric chat id or @channelname"),
  baseUrl: baseUrl(TELEGRAM_API),
});
type TelegramConfig = z.infer<typeof config>;

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function attr(text: string): string {
  return escape(text).replace(/"/g, "&quot;");
}

export function telegramBody(m: AlertMessage, chatId: string): Record<string, unknown> {
  const links = m.links.map((l) => `<a href="${attr(l.url)}">${escape(l.label)}</a>`).join(" · ");
  const facts = m.facts.map((f) => `<b>${escape(f.label)}:</b> ${escape(f.value)}`).join("\n");
  // The links go last but are never cut: the text before them gives way.
  const head = `<b>${escape(m.title)}</b>\n${escape(m.headline)}\n\n${facts}`;
  const room = TELEGRAM_LIMITS.text - (links ? links.length + 2 : 0);
  const text = `${clipHtml(head, room)}${links ? `\n\n${links}` : ""}`;
  return { chat_id: chatId, text, parse_mode: "HTML", link_preview_options: { is_disabled: true } };
}

/** Cuts escaped HTML without leaving half an entity or an open <b>. */
function clipHtml(html: string, max: number): string {
  if (html.length <= max) return html;
  const cut = clip(html, max - 4)
    .replace(/&[a-z]*…$/, "…")
    .replace(/<\/?b?…$/, "…");
  const open = (cut.match(/<b>/g) ?? []).length - (cut.match(/<\/b>/g) ?? []).length;
  return open > 0 ? `${cut}</b>` : cut;
}

export const telegramProvider: AlertProvider<TelegramConfig> = {
  type: "telegram",
  label: "Telegram bot",
  config,
  secrets: ["botToken"],
  hosts: (c) => [urlHost(c.baseUrl)],
  hint: (c) => `${urlHint(c.baseUrl)} chat ${c.chatId}`,
  send: (m, c, ctx) => postJson(`${c.baseUrl}/bot${c.botToken}/sendMessage`, telegramBody(m, c.chatId), ctx),
};
