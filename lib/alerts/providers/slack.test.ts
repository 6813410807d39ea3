import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostile, isHttpUrl, message, monitorDown, rule, SAMPLES, sendContext, startReceiver, type ReceivedRequest } from "../testing/samples";
import { SLACK_LIMITS, slackBody, slackProvider } from "./slack";

type Block = { type: string; text?: { type: string; text: string }; fields?: { type: string; text: string }[]; elements?: { type: string; text: string }[] };

/** mrkdwn may hold `<url|label>` links and the three escapes, and no other `<`, `>` or `&`. */
function escapedMrkdwn(text: string): boolean {
  const withoutLinks = text.replace(/<https?:\/\/[^|<>\s]+\|[^<>]+>/g, "");
  return !/[<>]/.test(withoutLinks) && !/&(?!amp;|lt;|gt;)/.test(withoutLinks);
}

/** Slack's documented rules for an incoming webhook's message. */
function slackRules(req: ReceivedRequest): string[] {
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
