import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostile, message, monitorDown, SAMPLES, sendContext, startReceiver } from "../testing/samples";
import { telegramRules, visibleText } from "../testing/rules";
import { telegramBody, telegramProvider } from "./telegram";

const TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0";

let api: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  api = await startReceiver(telegramRules(TOKEN), { status: 200, body: JSON.stringify({ ok: true, result: { message_id: 1 } }) });
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
    expect(telegramRules(TOKEN)({ method: "POST", path: `/bot${TOKEN}/sendMessage`, headers: {}, body: JSON.stringify(body) })).toEqual([]);
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
