import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostile, isHttpUrl, message, monitorDown, rule, SAMPLES, sendContext, startReceiver, type ReceivedRequest } from "../testing/samples";
import { DISCORD_LIMITS, discordBody, discordProvider } from "./discord";

interface Embed {
  title?: string;
  url?: string;
  description?: string;
  color?: number;
  timestamp?: string;
  fields?: { name: string; value: string; inline?: boolean }[];
  footer?: { text: string };
}

/** Discord's documented limits for a webhook message and its embeds. */
function discordRules(req: ReceivedRequest): string[] {
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

let hook: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  hook = await startReceiver(discordRules, { status: 204 });
});
afterAll(() => hook.close());

describe("Discord provider", () => {
  it("every sample is a message Discord accepts, delivered to a real receiver", async () => {
    for (const [name, payload] of Object.entries(SAMPLES)) {
      expect(await discordProvider.send(message(payload), { url: `${hook.url}/api/webhooks/1/token` }, sendContext), name).toEqual({ ok: true, status: 204, error: null });
    }
  });

  it("titles the embed, links it to the monitor, and lists the facts", () => {
    const body = discordBody(message(monitorDown)) as { embeds: Embed[] };
    const e = body.embeds[0]!;
    expect(e.title).toBe("checkout (shop) is down");
    expect(e.url).toBe("https://deckhand.example.com/monitors/mon1");
    expect(e.fields?.map((f) => f.name)).toEqual(["What changed", "Since", "Target", "App", "Deploy before it"]);
    expect(e.description).toContain("[Roll back to 20260228T090000Z-0ff1ce0](https://deckhand.example.com/apps/app1#releases)");
  });

  it("keeps an oversized alert within 6,000 characters and pings nobody", () => {
    const body = discordBody(message(hostile));
    expect(discordRules({ method: "POST", path: "/", headers: {}, body: JSON.stringify(body) })).toEqual([]);
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(DISCORD_LIMITS.embedTotal).toBe(6_000);
  });
});
