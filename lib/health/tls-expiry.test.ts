import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { encryptSecret } from "../crypto/secretbox";
import { db } from "../db/client";
import { AddressGuard } from "../net/guard";
import { runCheck, type MonitorCheckSpec } from "./checkers";
import { recordCheckResults } from "./results";
import { makeTestCa, startHttpsServer, type TestCa, type TestHttpsServer } from "./testing/certs";

/**
 * The whole path on real servers: an HTTPS server with a certificate made for the test, the real check, and
 * recordCheckResults writing the monitor's certificate and queueing alerts through the monitor's routing.
 */

const guard = new AddressGuard();
let ca: TestCa;
let server: TestHttpsServer;
let delayMs = 0;

beforeAll(async () => {
  ca = makeTestCa();
  server = await startHttpsServer(ca.issue(10), (_req, res) => setTimeout(() => res.end('{"status":"ok"}'), delayMs));
});
afterAll(() => server?.close());

beforeEach(async () => {
  await db().notificationDelivery.deleteMany();
  await db().notificationChannel.deleteMany();
  await db().monitor.deleteMany();
  await db().notificationChannel.create({ data: { name: "hook", type: "webhook", isDefault: true, encryptedUrl: encryptSecret("http://127.0.0.1:9/hook") } });
  // Takes only down alerts: certificate warnings go with severity degraded, so not here.
  await db().notificationChannel.create({ data: { name: "pager", type: "webhook", isDefault: true, severities: ["down"], encryptedUrl: encryptSecret("http://127.0.0.1:9/pager") } });
});

async function monitor(extra: { degradedAfterMs?: number; certWarnDays?: number[] } = {}) {
  return db().monitor.create({ data: { name: "shop", type: "http", url: `${server.url}/health`, ...extra } });
}

let clock = Date.now();
async function check(id: string) {
  const m = await db().monitor.findUniqueOrThrow({ where: { id } });
  const outcome = await runCheck({ ...(m as unknown as MonitorCheckSpec), assertions: null }, { guard, ca: [ca.pem], loadSshTarget: () => Promise.reject(new Error("no ssh")) });
  clock += 60_000;
  const at = new Date(clock);
  return { outcome, changes: await recordCheckResults(db(), [{ monitorId: id, at, ok: outcome.ok, latencyMs: outcome.latencyMs, detail: outcome.detail, degraded: outcome.degraded, facts: outcome.facts }]) };
}

const alerts = async (event?: string) =>
  (await db().notificationDelivery.findMany({ where: event ? { event } : {}, orderBy: { createdAt: "asc" }, include: { channel: { select: { name: true } } } })).map((d) => ({
    event: d.event,
    channel: d.channel.name,
    payload: d.payload as { detail: string; certificate?: { thresholdDays: number; daysLeft: number } },
  }));

describe("certificate expiry warnings", () => {
  it("stores days left, alerts at 30 and 14 once each, and not again on the next check", async () => {
    const m = await monitor();
    const { outcome } = await check(m.id);
    expect(outcome.facts?.certificate?.daysLeft).toBe(10);
    const stored = await db().monitor.findUniqueOrThrow({ where: { id: m.id } });
    expect(stored).toMatchObject({ certSubject: "CN=localhost", certIssuer: "CN=Deckhand Test CA", certAlertedDays: 14, status: "up" });
    expect(Math.round((stored.certNotAfter!.getTime() - Date.now()) / 86_400_000)).toBe(10);
    const sent = await alerts("monitor.certificate");
    // One per threshold crossed, to the channel that takes degraded alerts only.
    const byThreshold = sent.sort((a, b) => (b.payload.certificate?.thresholdDays ?? 0) - (a.payload.certificate?.thresholdDays ?? 0));
    expect(byThreshold.map((a) => [a.channel, a.payload.certificate?.thresholdDays])).toEqual([
      ["hook", 30],
      ["hook", 14],
    ]);
    expect(byThreshold[1]!.payload.detail).toMatch(/^TLS certificate CN=localhost expires in 10 days \(\d{4}-\d{2}-\d{2}\): within the 14-day warning$/);
    await check(m.id);
    await check(m.id);
    expect(await alerts("monitor.certificate")).toHaveLength(2);
  });

  it("a renewed certificate starts over; a monitor's own thresholds are used", async () => {
    const m = await monitor({ certWarnDays: [60, 20, 5] });
    await check(m.id);
    const days = async () => (await alerts("monitor.certificate")).map((a) => a.payload.certificate?.thresholdDays).sort((a, b) => (b ?? 0) - (a ?? 0));
    expect(await days()).toEqual([60, 20]);
    server.setCertificate(ca.issue(90));
    try {
      await check(m.id);
      const renewed = await db().monitor.findUniqueOrThrow({ where: { id: m.id } });
      expect(renewed.certAlertedDays).toBeNull();
      expect(Math.round((renewed.certNotAfter!.getTime() - Date.now()) / 86_400_000)).toBe(90);
      expect(await alerts("monitor.certificate")).toHaveLength(2);
      // Renewed again, this time for 50 days: within 60 again, so that warning goes out once more.
      server.setCertificate(ca.issue(50));
      await check(m.id);
      // 50 days expires earlier than 90: a replacement, not a renewal, so it is judged against what was sent (nothing since the renewal).
      expect(await days()).toEqual([60, 60, 20]);
    } finally {
      server.setCertificate(ca.issue(10));
    }
  });
});

describe("degraded", () => {
  it("a slow answer makes the monitor degraded (counted as up), alerts once with severity degraded, and recovers", async () => {
    const m = await monitor({ degradedAfterMs: 150 });
    await check(m.id);
    expect((await db().monitor.findUniqueOrThrow({ where: { id: m.id } })).status).toBe("up");
    delayMs = 400;
    try {
      const { changes } = await check(m.id);
      expect(changes).toEqual([expect.objectContaining({ from: "up", to: "degraded", incidentId: null })]);
      await check(m.id);
    } finally {
      delayMs = 0;
    }
    const stored = await db().monitor.findUniqueOrThrow({ where: { id: m.id } });
    expect(stored).toMatchObject({ status: "degraded", consecutiveFailures: 0 });
    const results = await db().checkResult.findMany({ where: { monitorId: m.id }, orderBy: { at: "asc" } });
    expect(results.map((r) => [r.ok, r.degraded])).toEqual([
      [true, false],
      [true, true],
      [true, true],
    ]);
    expect(await db().incident.count({ where: { monitorId: m.id } })).toBe(0);
    const degraded = await alerts("monitor.degraded");
    expect(degraded.map((a) => a.channel)).toEqual(["hook"]);
    expect(degraded[0]!.payload.detail).toMatch(/^HTTP 200: slow, \d+ ms \(degraded above 150 ms\)$/);
    const { changes } = await check(m.id);
    expect(changes).toEqual([expect.objectContaining({ from: "degraded", to: "up" })]);
    expect((await alerts("monitor.up")).map((a) => a.channel)).toEqual(["hook"]);
  });

  it("down then degraded closes the incident with a recovery, then says degraded", async () => {
    const m = await monitor({ degradedAfterMs: 150 });
    clock += 60_000;
    await recordCheckResults(db(), [{ monitorId: m.id, at: new Date(clock), ok: false, latencyMs: null, detail: "connection refused (ECONNREFUSED)" }]);
    expect((await db().monitor.findUniqueOrThrow({ where: { id: m.id } })).status).toBe("down");
    delayMs = 400;
    try {
      const { changes } = await check(m.id);
      expect(changes).toEqual([expect.objectContaining({ from: "down", to: "degraded" })]);
    } finally {
      delayMs = 0;
    }
    const incident = await db().incident.findFirstOrThrow({ where: { monitorId: m.id } });
    expect(incident.endedAt).not.toBeNull();
    // One transaction writes them all (same createdAt): compared as a set.
    expect(
      (await alerts())
        .filter((a) => a.channel === "hook")
        .map((a) => a.event)
        .sort(),
    ).toEqual(["monitor.certificate", "monitor.certificate", "monitor.degraded", "monitor.down", "monitor.up"]);
  });
});
