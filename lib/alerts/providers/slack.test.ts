import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostile, message, monitorDown, SAMPLES, sendContext, startReceiver } from "../testing/samples";
import { slackRules, type Block } from "../testing/rules";
import { SLACK_LIMITS, slackBody, slackProvider } from "./slack";

let hook: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  hook = await startReceiver(slackRules, { status: 200, body: undefined });
});
afterAll(() => hook.close());

describe("Slack provider", () => {
  it("every sample is a message Slack accepts, delivered to a real receiver", async () => {
    for (const [name, payload] of Object.entries(SAMPLES)) {
      const result = await slackProvider.send(message(payload), { url: `${hook.url}/services/T/B/x` }, sendContext);
      expect(result, name).toEqual({ ok: true, status: 200, error: null });
    }
    expect(hook.received.every((r) => r.problems.length === 0)).toBe(true);
  });

  it("says what changed, since when, which deploy came before, and links to the monitor and a rollback", () => {
    const body = slackBody(message(monitorDown)) as { text: string; blocks: Block[] };
    expect(body.text).toBe("🔴 checkout (shop) is DOWN: HTTP 503 (expected 200-399) — https://shop.example.com/health\nhttps://deckhand.example.com/monitors/mon1");
    const all = JSON.stringify(body.blocks);
    expect(all).toContain("Since");
    expect(all).toContain("2026-03-01 11:59:00 UTC");
    expect(all).toContain("release 20260301T114900Z-abc1234 (commit abc1234def56) by alice@example.com, succeeded 10 min before");
    expect(all).toContain("<https://deckhand.example.com/apps/app1#releases|Roll back to 20260228T090000Z-0ff1ce0>");
    expect(all).toContain("<https://deckhand.example.com/apps/app1/deploys/dep1|Deploy before it>");
  });

  it("escapes markup and cuts an oversized alert to Slack's limits", () => {
    const body = slackBody(message(hostile)) as { text: string; blocks: Block[] };
    expect(body.text.length).toBeLessThanOrEqual(SLACK_LIMITS.text);
    expect(body.text).toContain("&lt;b&gt;@everyone&lt;/b&gt; &amp; &lt;script&gt;");
    expect(slackRules({ method: "POST", path: "/", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })).toEqual([]);
  });

  it("reports the receiver's refusal in plain words", async () => {
    const refused = await startReceiver(() => ["invalid_payload"]);
    try {
      expect(await slackProvider.send(message(monitorDown), { url: refused.url }, sendContext)).toEqual({ ok: false, status: 400, error: 'HTTP 400: {"error":"invalid_payload"}' });
    } finally {
      await refused.close();
    }
  });
});
