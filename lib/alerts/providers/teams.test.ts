import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostile, isHttpUrl, message, monitorDown, rule, SAMPLES, sendContext, startReceiver, type ReceivedRequest } from "../testing/samples";
import { TEAMS_LIMITS, teamsBody, teamsProvider } from "./teams";

interface Card {
  type: string;
  version: string;
  body: { type: string; text?: string; facts?: { title: string; value: string }[] }[];
  actions?: { type: string; title: string; url: string }[];
}

/** What a Teams webhook (Workflows or incoming webhook) accepts: one Adaptive Card attachment, under 28 KB. */
function teamsRules(req: ReceivedRequest): string[] {
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

let hook: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  hook = await startReceiver(teamsRules, { status: 202 });
});
afterAll(() => hook.close());

describe("Microsoft Teams provider", () => {
  it("every sample is a card Teams accepts, delivered to a real receiver", async () => {
    for (const [name, payload] of Object.entries(SAMPLES)) {
      expect(await teamsProvider.send(message(payload), { url: `${hook.url}/workflows/x` }, sendContext), name).toEqual({ ok: true, status: 202, error: null });
    }
  });

  it("shows the title, the facts and buttons to the monitor and a rollback", () => {
    const card = (teamsBody(message(monitorDown)) as { attachments: { content: Card }[] }).attachments[0]!.content;
    expect(card.body[0]!.text).toBe("checkout (shop) is down");
    expect(card.body[2]!.facts!.find((f) => f.title === "Deploy before it")!.value).toContain("alice@example.com");
    expect(card.actions!.map((a) => a.title)).toEqual(["Open monitor", "Deploy before it", "Roll back to 20260228T090000Z-0ff1ce0"]);
  });

  it("cuts an oversized alert under 28 KB", () => {
    const body = JSON.stringify(teamsBody(message({ ...hostile, detail: "x".repeat(200_000) })));
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(TEAMS_LIMITS.bytes);
    expect(teamsRules({ method: "POST", path: "/", headers: {}, body })).toEqual([]);
  });
});
