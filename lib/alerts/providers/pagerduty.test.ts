import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployFailed, deploySucceeded, hostile, message, monitorDown, monitorUp, SAMPLES, sendContext, startReceiver, testAlert } from "../testing/samples";
import { pagerDutyRules } from "../testing/rules";
import { pagerDutyEvent, pagerDutyProvider } from "./pagerduty";

const KEY = "R0UT1NGKEY0123456789abcdefABCDEF";
let events: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  events = await startReceiver(pagerDutyRules(KEY), { status: 202, body: JSON.stringify({ status: "success", message: "Event processed" }) });
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
      payload: {
        summary: "🔴 checkout (shop) is DOWN: HTTP 503 (expected 200-399) — https://shop.example.com/health",
        source: "https://shop.example.com/health",
        severity: "critical",
        component: "checkout",
        group: "shop",
        class: "monitor.down",
      },
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
    expect((body.payload as { summary: string }).summary.length).toBeLessThanOrEqual(1_024);
  });
});
