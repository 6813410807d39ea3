import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostile, isHttpUrl, message, monitorDown, monitorUp, rule, SAMPLES, sendContext, startReceiver, type ReceivedRequest } from "../testing/samples";
import { NTFY_LIMITS, ntfyBody, ntfyProvider } from "./ntfy";

/** ntfy's rules for a JSON publish to the server root. */
function ntfyRules(token: string | null) {
  return (req: ReceivedRequest): string[] => {
    const p: string[] = [];
    rule(p, req.method === "POST" && req.path === "/", "POST to the root URL");
    rule(p, token === null ? req.headers.authorization === undefined : req.headers.authorization === `Bearer ${token}`, "Authorization: Bearer <token>");
    const body = JSON.parse(req.body) as { topic?: string; message?: string; title?: string; priority?: number; tags?: unknown[]; click?: string; actions?: { action: string; label: string; url: string }[] };
    rule(p, typeof body.topic === "string" && /^[-_A-Za-z0-9]{1,64}$/.test(body.topic), "topic required, 1–64 of [-_A-Za-z0-9]");
    rule(p, Buffer.byteLength(body.message ?? "") <= 4_096, "message at most 4,096 bytes");
    rule(p, body.priority === undefined || (Number.isInteger(body.priority) && body.priority >= 1 && body.priority <= 5), "priority 1–5");
    rule(p, body.click === undefined || isHttpUrl(body.click), "click is a URL");
    rule(p, (body.actions ?? []).length <= 3, "at most 3 actions");
    for (const a of body.actions ?? []) rule(p, a.action === "view" && a.label.length > 0 && isHttpUrl(a.url), "view actions with a label and URL");
    return p;
  };
}

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
