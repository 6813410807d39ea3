import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployFailed, deploySucceeded, hostile, isHttpUrl, message, monitorDown, monitorUp, rule, SAMPLES, sendContext, startReceiver, testAlert, type ReceivedRequest } from "../testing/samples";
import { pagerDutyEvent, pagerDutyProvider } from "./pagerduty";

const KEY = "R0UT1NGKEY0123456789abcdefABCDEF";
const SEVERITIES = ["critical", "error", "warning", "info"];

/** Events API v2's rules for alert events and change events. */
function pagerDutyRules(req: ReceivedRequest): string[] {
  const p: string[] = [];
  rule(p, Buffer.byteLength(req.body) <= 512 * 1024, "an event is at most 512 KB");
  const e = JSON.parse(req.body) as Record<string, unknown> & { payload?: Record<string, unknown>; links?: { href: string; text: string }[] };
  rule(p, e.routing_key === KEY && /^[A-Za-z0-9]{32}$/.test(String(e.routing_key)), "routing_key: the 32-character integration key");
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
  rule(p, SEVERITIES.includes(String(pl.severity)), "payload.severity critical | error | warning | info");
  rule(p, pl.timestamp === undefined || !Number.isNaN(Date.parse(String(pl.timestamp))), "payload.timestamp ISO 8601");
  return p;
}

let events: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  events = await startReceiver(pagerDutyRules, { status: 202, body: JSON.stringify({ status: "success", message: "Event processed" }) });
});
afterAll(() => events.close());

const config = () => ({ routingKey: KEY, baseUrl: events.url });

describe("PagerDuty provider (Events API v2)", () => {
  it("every sample is an event PagerDuty accepts (202)", async () => {
    for (const [name, payload] of Object.entries(SAMPLES)) {
      expect(await pagerDutyProvider.send(message(payload), config(), sendContext), name).toEqual({ ok: true, status: 202, error: null });
    }
  });

  it("a monitor going down triggers with the incident as dedup key, and its recovery resolves the same key", async () => {
    events.received.length = 0;
    await pagerDutyProvider.send(message(monitorDown), config(), sendContext);
    await pagerDutyProvider.send(message(monitorUp), config(), sendContext);
    const [trigger, resolve] = events.received.map((r) => JSON.parse(r.body) as Record<string, unknown> & { payload: Record<string, unknown> });
    expect(trigger).toMatchObject({
      event_action: "trigger",
      dedup_key: "deckhand-incident-inc1",
      payload: { summary: "🔴 checkout (shop) is DOWN: HTTP 503 (expected 200-399) — https://shop.example.com/health", source: "https://shop.example.com/health", severity: "critical", component: "checkout", group: "shop", class: "monitor.down" },
      client: "Deckhand",
      client_url: "https://deckhand.example.com/monitors/mon1",
    });
    expect((trigger!.payload.custom_details as Record<string, string>)["Deploy before it"]).toContain("alice@example.com");
    expect(resolve).toEqual({ routing_key: KEY, event_action: "resolve", dedup_key: "deckhand-incident-inc1" });
  });

  it("a failed deploy triggers per app and the next successful one resolves it; a test is a change event", () => {
    expect(pagerDutyEvent(message(deployFailed), KEY)).toMatchObject({ path: "/v2/enqueue", body: { event_action: "trigger", dedup_key: "deckhand-deploy-app1", payload: { severity: "error", source: "shop (Deckhand)" } } });
    expect(pagerDutyEvent(message(deploySucceeded), KEY)).toEqual({ path: "/v2/enqueue", body: { routing_key: KEY, event_action: "resolve", dedup_key: "deckhand-deploy-app1" } });
    expect(pagerDutyEvent(message(testAlert), KEY).path).toBe("/v2/change/enqueue");
  });

  it("cuts the summary to 1,024 characters", () => {
    const { body } = pagerDutyEvent(message(hostile), KEY);
    expect(((body.payload as { summary: string }).summary).length).toBeLessThanOrEqual(1_024);
  });
});
