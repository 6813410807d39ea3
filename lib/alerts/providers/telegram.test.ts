import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostile, message, monitorDown, rule, SAMPLES, sendContext, startReceiver, type ReceivedRequest } from "../testing/samples";
import { TELEGRAM_LIMITS, telegramBody, telegramProvider } from "./telegram";

const TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0";

/** The text a reader sees, as Telegram counts it: tags gone, entities decoded. Throws on HTML Telegram refuses. */
function visibleText(html: string): string {
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
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
}

/** The Bot API's sendMessage rules. */
function telegramRules(req: ReceivedRequest): string[] {
  const p: string[] = [];
  rule(p, req.method === "POST" && req.path === `/bot${TOKEN}/sendMessage`, "POST /bot<token>/sendMessage");
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
}

let api: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  api = await startReceiver(telegramRules, { status: 200, body: JSON.stringify({ ok: true, result: { message_id: 1 } }) });
});
afterAll(() => api.close());

describe("Telegram provider", () => {
  it("every sample is a message the Bot API accepts, sent to its configured base URL", async () => {
    for (const [name, payload] of Object.entries(SAMPLES)) {
      expect(await telegramProvider.send(message(payload), { botToken: TOKEN, chatId: "-1001234567890", baseUrl: api.url }, sendContext), name).toEqual({ ok: true, status: 200, error: null });
    }
    expect(api.received.map((r) => JSON.parse(r.body).chat_id as string)).toEqual(Array(Object.keys(SAMPLES).length).fill("-1001234567890"));
  });

  it("bolds the title and links the monitor, the deploy and the rollback", () => {
    const { text } = telegramBody(message(monitorDown), "@ops_alerts") as { text: string };
    expect(text.startsWith("<b>checkout (shop) is down</b>\n🔴 checkout (shop) is DOWN")).toBe(true);
    expect(text).toContain('<a href="https://deckhand.example.com/apps/app1#releases">Roll back to 20260228T090000Z-0ff1ce0</a>');
  });

  it("escapes markup and cuts an oversized alert without breaking its HTML", () => {
    const body = telegramBody(message(hostile), "1");
    expect(telegramRules({ method: "POST", path: `/bot${TOKEN}/sendMessage`, headers: {}, body: JSON.stringify(body) })).toEqual([]);
    expect(visibleText((body as { text: string }).text)).toContain("<b>@everyone</b> & <script>");
  });

  it("a refusal (wrong chat) comes back as the Bot API's own description", async () => {
    const refusing = await startReceiver(() => ["Bad Request: chat not found"]);
    try {
      const r = await telegramProvider.send(message(monitorDown), { botToken: TOKEN, chatId: "1", baseUrl: refusing.url }, sendContext);
      expect(r.ok).toBe(false);
      expect(r.error).toContain("chat not found");
      expect(r.error).not.toContain(TOKEN);
    } finally {
      await refusing.close();
    }
  });
});
