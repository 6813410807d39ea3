import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { encryptSecret } from "../crypto/secretbox";
import { AddressGuard } from "./network";
import { alertText, backoffMs, deliverDueNotifications, enqueueAlert, MAX_DELIVERY_ATTEMPTS, type AlertPayload } from "./notify";
import { startHttpServer, type TestHttpServer } from "./testing/servers";

const guard = new AddressGuard();
let hooks: TestHttpServer;
let failuresLeft = 0;

beforeAll(async () => {
  hooks = await startHttpServer((req, res) => {
    if (req.url === "/flaky" && failuresLeft > 0) {
      failuresLeft--;
      res.writeHead(502);
      res.end("bad gateway");
      return;
    }
    if (req.url === "/broken") {
      res.writeHead(500);
      res.end("always broken");
      return;
    }
    res.writeHead(200);
    res.end("ok");
  });
});
afterAll(() => hooks.close());
beforeEach(async () => {
  await db().notificationDelivery.deleteMany();
  await db().notificationChannel.deleteMany();
  hooks.requests.length = 0;
});

const payload: AlertPayload = {
  event: "monitor.down",
  monitor: { id: "m1", name: "checkout", type: "http", target: "http://shop.internal/health", app: "shop" },
  at: "2026-03-01T12:00:00.000Z",
  detail: "HTTP 503 (expected 200-399)",
  incident: { id: "i1", startedAt: "2026-03-01T11:59:00.000Z", endedAt: null, durationSeconds: null },
};

async function channel(name: string, type: "webhook" | "slack", path: string) {
  return db().notificationChannel.create({ data: { name, type, encryptedUrl: encryptSecret(`${hooks.url}${path}`) } });
}

describe("alert delivery to real webhook servers", () => {
  it("posts the generic JSON event and a Slack-compatible text message", async () => {
    await channel("generic", "webhook", "/generic");
    await channel("slack", "slack", "/slack");
    await db().$transaction((tx) => enqueueAlert(tx, payload));
    expect(await deliverDueNotifications(db(), { guard })).toEqual({ delivered: 2, retrying: 0, failed: 0 });
    const generic = JSON.parse(hooks.requests.find((r) => r.path === "/generic")!.body) as AlertPayload & { text: string };
    expect(generic).toMatchObject({ event: "monitor.down", monitor: { name: "checkout" }, detail: "HTTP 503 (expected 200-399)" });
    const slack = JSON.parse(hooks.requests.find((r) => r.path === "/slack")!.body) as { text: string };
    expect(slack.text).toBe("🔴 checkout (shop) is DOWN: HTTP 503 (expected 200-399) — http://shop.internal/health");
    const rows = await db().notificationDelivery.findMany();
    expect(rows.every((r) => r.status === "delivered" && r.attempts === 1 && r.lastError === null)).toBe(true);
    // Nothing is sent twice.
    expect(await deliverDueNotifications(db(), { guard })).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect(hooks.requests).toHaveLength(2);
  });

  it("retries a failing endpoint with backoff until it answers", async () => {
    await channel("flaky", "webhook", "/flaky");
    failuresLeft = 2;
    await db().$transaction((tx) => enqueueAlert(tx, payload));
    const t0 = new Date();
    expect(await deliverDueNotifications(db(), { guard, now: t0 })).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    let row = await db().notificationDelivery.findFirstOrThrow();
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastError: "HTTP 502: bad gateway" });
    expect(row.nextAttemptAt.getTime()).toBe(t0.getTime() + backoffMs(1));

    // Not due yet: nothing is sent.
    expect(await deliverDueNotifications(db(), { guard, now: new Date(t0.getTime() + backoffMs(1) - 1_000) })).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    const t1 = new Date(t0.getTime() + backoffMs(1));
    expect(await deliverDueNotifications(db(), { guard, now: t1 })).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    row = await db().notificationDelivery.findFirstOrThrow();
    expect(row.nextAttemptAt.getTime()).toBe(t1.getTime() + backoffMs(2));
    expect(backoffMs(2)).toBe(2 * backoffMs(1));

    expect(await deliverDueNotifications(db(), { guard, now: new Date(t1.getTime() + backoffMs(2)) })).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    row = await db().notificationDelivery.findFirstOrThrow();
    expect(row).toMatchObject({ status: "delivered", attempts: 3, lastError: null });
    expect(hooks.requests.filter((r) => r.path === "/flaky")).toHaveLength(3);
  });

  it("gives up after the last attempt and keeps the error", async () => {
    await channel("broken", "webhook", "/broken");
    await db().$transaction((tx) => enqueueAlert(tx, payload));
    let now = new Date();
    for (let i = 1; i <= MAX_DELIVERY_ATTEMPTS; i++) {
      await deliverDueNotifications(db(), { guard, now });
      now = new Date(now.getTime() + backoffMs(i));
    }
    const row = await db().notificationDelivery.findFirstOrThrow();
    expect(row).toMatchObject({ status: "failed", attempts: MAX_DELIVERY_ATTEMPTS, lastError: "HTTP 500: always broken" });
    expect(await deliverDueNotifications(db(), { guard, now: new Date(now.getTime() + 86_400_000) })).toEqual({ delivered: 0, retrying: 0, failed: 0 });
  });

  it("two workers delivering at once send each alert once", async () => {
    await channel("a", "webhook", "/a");
    for (let i = 0; i < 10; i++) await db().$transaction((tx) => enqueueAlert(tx, { ...payload, detail: `n${i}` }));
    const [x, y] = await Promise.all([deliverDueNotifications(db(), { guard, limit: 6 }), deliverDueNotifications(db(), { guard, limit: 6 })]);
    const more = await deliverDueNotifications(db(), { guard, limit: 20 });
    expect(x.delivered + y.delivered + more.delivered).toBe(10);
    expect(hooks.requests).toHaveLength(10);
    expect(new Set(hooks.requests.map((r) => (JSON.parse(r.body) as AlertPayload).detail)).size).toBe(10);
  });

  it("refuses a webhook pointing at the metadata service", async () => {
    await db().notificationChannel.create({ data: { name: "evil", type: "webhook", encryptedUrl: encryptSecret("http://169.254.169.254/latest") } });
    await db().$transaction((tx) => enqueueAlert(tx, payload));
    await deliverDueNotifications(db(), { guard });
    expect((await db().notificationDelivery.findFirstOrThrow()).lastError).toMatch(/169\.254\.169\.254 is refused/);
  });

  it("words a recovery with its duration", () => {
    expect(alertText({ ...payload, event: "monitor.up", detail: "HTTP 200", incident: { ...payload.incident!, durationSeconds: 600 } })).toBe(
      "✅ checkout (shop) is back UP after 10 min: HTTP 200 — http://shop.internal/health",
    );
  });
});
