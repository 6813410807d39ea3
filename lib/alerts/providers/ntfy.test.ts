import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostile, message, monitorDown, monitorUp, SAMPLES, sendContext, startReceiver } from "../testing/samples";
import { ntfyRules } from "../testing/rules";
import { NTFY_LIMITS, ntfyBody, ntfyProvider } from "./ntfy";

let server: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  server = await startReceiver(ntfyRules("tk_secret"), { status: 200, body: JSON.stringify({ id: "abc", event: "message" }) });
});
afterAll(() => server.close());

describe("ntfy provider", () => {
  it("every sample is a publish ntfy accepts, with the access token", async () => {
    for (const [name, payload] of Object.entries(SAMPLES)) {
      expect(await ntfyProvider.send(message(payload), { serverUrl: server.url, topic: "deckhand-alerts", token: "tk_secret" }, sendContext), name).toEqual({ ok: true, status: 200, error: null });
    }
  });

  it("sets priority by what happened, clicks through to the monitor, and offers the rollback", () => {
    const down = ntfyBody(message(monitorDown), { topic: "t" });
    expect(down).toMatchObject({ topic: "t", title: "checkout (shop) is down", priority: 5, tags: ["rotating_light"], click: "https://deckhand.example.com/monitors/mon1" });
    expect((down.actions as { label: string }[]).map((a) => a.label)).toEqual(["Open monitor", "Deploy before it", "Roll back to 20260228T090000Z-0ff1ce0"]);
    expect(ntfyBody(message(monitorUp), { topic: "t", priority: 2 })).toMatchObject({ priority: 2, tags: ["white_check_mark"] });
  });

  it("cuts a message to 4,096 bytes", () => {
    const body = ntfyBody(message(hostile), { topic: "t" });
    expect(Buffer.byteLength(body.message as string)).toBeLessThanOrEqual(NTFY_LIMITS.messageBytes);
    expect(ntfyRules(null)({ method: "POST", path: "/", headers: {}, body: JSON.stringify(body) })).toEqual([]);
  });
});
