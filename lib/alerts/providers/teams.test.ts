import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostile, message, monitorDown, SAMPLES, sendContext, startReceiver } from "../testing/samples";
import { teamsRules, type Card } from "../testing/rules";
import { TEAMS_LIMITS, teamsBody, teamsProvider } from "./teams";

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
