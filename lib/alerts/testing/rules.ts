import { SLACK_LIMITS } from "../providers/slack";
import { TELEGRAM_LIMITS } from "../providers/telegram";
import { isHttpUrl, rule, type ReceivedRequest } from "./samples";

/**
 * Each provider's documented payload rules, as a receiver on loopback applies them: a list of the rules a
 * request breaks (empty: the real service would accept it). Used by the provider tests and the API and browser
 * tests that send through the running app.
 */

export type Block = { type: string; text?: { type: string; text: string }; fields?: { type: string; text: string }[]; elements?: { type: string; text: string }[] };

/** mrkdwn may hold `<url|label>` links and the three escapes, and no other `<`, `>` or `&`. */
function escapedMrkdwn(text: string): boolean {
  const withoutLinks = text.replace(/<https?:\/\/[^|<>\s]+\|[^<>]+>/g, "");
  return !/[<>]/.test(withoutLinks) && !/&(?!amp;|lt;|gt;)/.test(withoutLinks);
}

/** Slack's documented rules for an incoming webhook's message. */
export function slackRules(req: ReceivedRequest): string[] {
  const p: string[] = [];
  const body = JSON.parse(req.body) as { text?: unknown; blocks?: Block[] };
  rule(p, req.method === "POST" && String(req.headers["content-type"]).startsWith("application/json"), "POST application/json");
  rule(p, typeof body.text === "string" && body.text.length > 0 && body.text.length <= 40_000, "text: 1–40,000 characters");
  rule(p, typeof body.text === "string" && escapedMrkdwn(body.text), "text: &, <, > escaped");
  const blocks = body.blocks ?? [];
  rule(p, Array.isArray(blocks) && blocks.length <= SLACK_LIMITS.blocks, "at most 50 blocks");
  for (const b of blocks) {
    rule(p, ["section", "context"].includes(b.type), `block type ${b.type}`);
    if (b.text) rule(p, b.text.type === "mrkdwn" && b.text.text.length > 0 && b.text.text.length <= 3_000 && escapedMrkdwn(b.text.text), "section text: mrkdwn, 1–3,000, escaped");
    if (b.fields) {
      rule(p, b.fields.length <= 10, "at most 10 fields");
      for (const f of b.fields) rule(p, f.text.length > 0 && f.text.length <= 2_000 && escapedMrkdwn(f.text), "field: 1–2,000, escaped");
    }
    if (b.elements) {
      rule(p, b.elements.length <= 10, "context: at most 10 elements");
      for (const e of b.elements) {
        const link = /^<([^|]+)\|[^<>]+>$/.exec(e.text);
        rule(p, !!link && isHttpUrl(link[1]), "context element: one <url|label> link");
      }
    }
  }
  return p;
}

export interface Embed {
  title?: string;
  url?: string;
  description?: string;
  color?: number;
  timestamp?: string;
  fields?: { name: string; value: string; inline?: boolean }[];
  footer?: { text: string };
}

/** Discord's documented limits for a webhook message and its embeds. */
export function discordRules(req: ReceivedRequest): string[] {
  const p: string[] = [];
  const body = JSON.parse(req.body) as { content?: string; embeds?: Embed[]; username?: string; allowed_mentions?: { parse?: unknown[] } };
  rule(p, req.method === "POST", "POST");
  rule(p, !!body.content || (Array.isArray(body.embeds) && body.embeds.length > 0), "content or embeds required");
  rule(p, (body.content ?? "").length <= 2_000, "content at most 2,000");
  rule(p, (body.embeds ?? []).length <= 10, "at most 10 embeds");
  rule(p, Array.isArray(body.allowed_mentions?.parse) && body.allowed_mentions.parse.length === 0, "mentions disabled");
  rule(p, !body.username || (body.username.length <= 80 && !/discord|clyde/i.test(body.username)), "username");
  for (const e of body.embeds ?? []) {
    rule(p, (e.title ?? "").length <= 256, "embed title at most 256");
    rule(p, (e.description ?? "").length <= 4_096, "embed description at most 4,096");
    rule(p, (e.fields ?? []).length <= 25, "at most 25 fields");
    for (const f of e.fields ?? []) rule(p, f.name.length > 0 && f.name.length <= 256 && f.value.length > 0 && f.value.length <= 1_024, "field name 1–256, value 1–1,024");
    rule(p, (e.footer?.text ?? "").length <= 2_048, "footer at most 2,048");
    const total = (e.title ?? "").length + (e.description ?? "").length + (e.footer?.text ?? "").length + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
    rule(p, total <= 6_000, `embed text at most 6,000 (was ${total})`);
    rule(p, e.url === undefined || isHttpUrl(e.url), "embed url");
    rule(p, e.color === undefined || (Number.isInteger(e.color) && e.color >= 0 && e.color <= 0xffffff), "color 0–0xFFFFFF");
    rule(p, e.timestamp === undefined || !Number.isNaN(Date.parse(e.timestamp)), "timestamp ISO 8601");
  }
  return p;
}

export interface Card {
  type: string;
  version: string;
  body: { type: string; text?: string; facts?: { title: string; value: string }[] }[];
  actions?: { type: string; title: string; url: string }[];
}

/** What a Teams webhook (Workflows or incoming webhook) accepts: one Adaptive Card attachment, under 28 KB. */
export function teamsRules(req: ReceivedRequest): string[] {
  const p: string[] = [];
  rule(p, Buffer.byteLength(req.body) <= 28 * 1024, `message at most 28 KB (was ${Buffer.byteLength(req.body)})`);
  const body = JSON.parse(req.body) as { type?: string; attachments?: { contentType: string; contentUrl: unknown; content: Card }[] };
  rule(p, body.type === "message", 'type "message"');
  rule(p, Array.isArray(body.attachments) && body.attachments.length === 1, "one attachment");
  const a = body.attachments?.[0];
  rule(p, a?.contentType === "application/vnd.microsoft.card.adaptive", "an Adaptive Card attachment");
  const card = a?.content;
  rule(p, card?.type === "AdaptiveCard" && ["1.0", "1.1", "1.2", "1.3", "1.4", "1.5"].includes(card.version), "AdaptiveCard, version ≤ 1.5");
  rule(p, Array.isArray(card?.body) && card.body.length > 0, "a body");
  for (const el of card?.body ?? []) rule(p, ["TextBlock", "FactSet"].includes(el.type), `element ${el.type}`);
  for (const action of card?.actions ?? []) rule(p, action.type === "Action.OpenUrl" && isHttpUrl(action.url) && action.title.length > 0, "actions open http(s) URLs");
  return p;
}

/** The text a reader sees, as Telegram counts it: tags gone, entities decoded. Throws on HTML Telegram refuses. */
export function visibleText(html: string): string {
  const stack: string[] = [];
  for (const m of html.matchAll(/<(\/?)([a-z]+)([^>]*)>/g)) {
    const [, closing, tag, attrs] = m;
    if (!["b", "a"].includes(tag!)) throw new Error(`unsupported tag <${tag}>`);
    if (closing) {
      if (stack.pop() !== tag) throw new Error(`unbalanced </${tag}>`);
    } else {
      if (tag === "a" && !/^ href="https?:\/\/[^"]+"$/.test(attrs!)) throw new Error("<a> needs one http(s) href");
      stack.push(tag!);
    }
  }
  if (stack.length) throw new Error(`unclosed <${stack.join(">, <")}>`);
  const text = html.replace(/<[^>]+>/g, "");
  if (/[<>]/.test(text) || /&(?!amp;|lt;|gt;|quot;)/.test(text)) throw new Error("unescaped <, > or &");
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
}

/** The Bot API's sendMessage rules. */
export function telegramRules(token: string) {
  return (req: ReceivedRequest): string[] => {
    const p: string[] = [];
    rule(p, req.method === "POST" && req.path === `/bot${token}/sendMessage`, "POST /bot<token>/sendMessage");
    const body = JSON.parse(req.body) as { chat_id?: unknown; text?: string; parse_mode?: string };
    rule(p, typeof body.chat_id === "string" || typeof body.chat_id === "number", "chat_id required");
    rule(p, body.parse_mode === "HTML", "parse_mode HTML");
    try {
      const visible = visibleText(body.text ?? "");
      rule(p, visible.length >= 1 && visible.length <= TELEGRAM_LIMITS.text, "text 1–4,096 characters after entities are parsed");
    } catch (err) {
      p.push(`Bad Request: can't parse entities: ${(err as Error).message}`);
    }
    return p;
  };
}

/** ntfy's rules for a JSON publish to the server root. */
export function ntfyRules(token: string | null) {
  return (req: ReceivedRequest): string[] => {
    const p: string[] = [];
    rule(p, req.method === "POST" && req.path === "/", "POST to the root URL");
    rule(p, token === null ? req.headers.authorization === undefined : req.headers.authorization === `Bearer ${token}`, "Authorization: Bearer <token>");
    const body = JSON.parse(req.body) as { topic?: string; message?: string; title?: string; priority?: number; tags?: unknown[]; click?: string; actions?: { action: string; label: string; url: string }[] };
    rule(p, typeof body.topic === "string" && /^[-_A-Za-z0-9]{1,64}$/.test(body.topic), "topic required, 1–64 of [-_A-Za-z0-9]");
    rule(p, Buffer.byteLength(body.message ?? "") <= 4_096, "message at most 4,096 bytes");
    rule(p, body.priority === undefined || (Number.isInteger(body.priority) && body.priority >= 1 && body.priority <= 5), "priority 1–5");
    rule(p, body.click === undefined || isHttpUrl(body.click), "click is a URL");
    rule(p, (body.actions ?? []).length <= 3, "at most 3 actions");
    for (const a of body.actions ?? []) rule(p, a.action === "view" && a.label.length > 0 && isHttpUrl(a.url), "view actions with a label and URL");
    return p;
  };
}

const PAGER_SEVERITIES = ["critical", "error", "warning", "info"];

/** Events API v2's rules for alert events and change events. */
export function pagerDutyRules(key: string) {
  return (req: ReceivedRequest): string[] => {
    const p: string[] = [];
    rule(p, Buffer.byteLength(req.body) <= 512 * 1024, "an event is at most 512 KB");
    const e = JSON.parse(req.body) as Record<string, unknown> & { payload?: Record<string, unknown>; links?: { href: string; text: string }[] };
    rule(p, e.routing_key === key && /^[A-Za-z0-9]{32}$/.test(String(e.routing_key)), "routing_key: the 32-character integration key");
    for (const l of e.links ?? []) rule(p, isHttpUrl(l.href) && typeof l.text === "string", "links: {href, text}");
    if (req.path === "/v2/change/enqueue") {
      rule(p, typeof e.payload?.summary === "string" && (e.payload.summary as string).length > 0 && (e.payload.summary as string).length <= 1_024, "change payload.summary 1–1,024");
      return p;
    }
    rule(p, req.path === "/v2/enqueue", "POST /v2/enqueue");
    rule(p, ["trigger", "acknowledge", "resolve"].includes(String(e.event_action)), "event_action trigger | acknowledge | resolve");
    const dedup = e.dedup_key;
    rule(p, dedup === undefined || (typeof dedup === "string" && dedup.length > 0 && dedup.length <= 255), "dedup_key at most 255");
    if (e.event_action !== "trigger") {
      rule(p, typeof dedup === "string", "acknowledge and resolve need dedup_key");
      return p;
    }
    const pl = e.payload ?? {};
    rule(p, typeof pl.summary === "string" && pl.summary.length > 0 && pl.summary.length <= 1_024, "payload.summary 1–1,024");
    rule(p, typeof pl.source === "string" && pl.source.length > 0, "payload.source required");
    rule(p, PAGER_SEVERITIES.includes(String(pl.severity)), "payload.severity critical | error | warning | info");
    rule(p, pl.timestamp === undefined || !Number.isNaN(Date.parse(String(pl.timestamp))), "payload.timestamp ISO 8601");
    return p;
  };
}
