import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostile, message, monitorDown, SAMPLES, sendContext, startReceiver } from "../testing/samples";
import { discordRules, type Embed } from "../testing/rules";
import { DISCORD_LIMITS, discordBody, discordProvider } from "./discord";

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
