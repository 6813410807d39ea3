import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { encryptSecret } from "../crypto/secretbox";
import { deliverNotification } from "../alerts/deliveries";
import { QUEUES, stopJobSender } from "../jobs/queues";
import { AddressGuard } from "../net/guard";
import { startHttpServer, type TestHttpServer } from "../net/testing/servers";
import { acknowledgeIncident, addIncidentNote, listIncidents, renotifyOpenIncidents } from "./incidents";
import { createMonitor, updateMonitor } from "./monitors";
import { recordCheckResults, type CheckRecord } from "./results";

const T0 = new Date("2026-03-01T12:00:00.000Z");
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const min = (m: number) => new Date(T0.getTime() + m * 60_000);
const ok = (monitorId: string, s: number): CheckRecord => ({ monitorId, at: at(s), ok: true, latencyMs: 20, detail: "HTTP 200" });
const fail = (monitorId: string, s: number): CheckRecord => ({ monitorId, at: at(s), ok: false, latencyMs: null, detail: "HTTP 503 (expected 200-399)" });

const guard = new AddressGuard();
let receiver: TestHttpServer;

/** Each alert the receiver got: its event and monitor. */
function received(): { event: string; monitor: string; detail: string }[] {
  return receiver.requests.map((r) => {
    const body = JSON.parse(r.body) as { event: string; monitor: { name: string }; detail: string };
    return { event: body.event, monitor: body.monitor.name, detail: body.detail };
  });
}

/** What the worker does with each queued delivery: send it to the receiver. */
async function deliverPending(): Promise<void> {
  for (const d of await db().notificationDelivery.findMany({ where: { status: "pending" }, orderBy: { createdAt: "asc" } })) {
    expect(await deliverNotification(db(), d.id, { guard, publicUrl: null })).toBe("delivered");
  }
}

async function monitor(name: string, data: { renotifyMinutes?: number; dependsOnId?: string } = {}) {
  return db().monitor.create({ data: { name, type: "http", url: "http://127.0.0.1:9/health", retries: 0, ...data } });
}

beforeAll(async () => {
  receiver = await startHttpServer((_req, res) => {
    res.writeHead(200);
    res.end("ok");
  });
});
afterAll(async () => {
  await stopJobSender();
  await receiver.close();
});
beforeEach(async () => {
  await db().notificationDelivery.deleteMany();
  await db().notificationChannel.deleteMany();
  await db().monitor.deleteMany();
  await db().$executeRaw`DELETE FROM pgboss.job WHERE name = ${QUEUES.notify}`.catch(() => undefined);
  await db().notificationChannel.create({ data: { name: "hook", type: "webhook", encryptedConfig: encryptSecret(JSON.stringify({ url: `${receiver.url}/hook` })) } });
  receiver.requests.length = 0;
});

describe("re-notification and acknowledgement", () => {
  it("re-sends the down alert every N minutes while down, and not once acknowledged", async () => {
    const m = await monitor("api", { renotifyMinutes: 5 });
    await recordCheckResults(db(), [fail(m.id, 0)]);
    await deliverPending();
    expect(received()).toEqual([{ event: "monitor.down", monitor: "api", detail: "HTTP 503 (expected 200-399)" }]);

    expect(await renotifyOpenIncidents(db(), min(4))).toBe(0);
    expect(await renotifyOpenIncidents(db(), min(5))).toBe(1);
    // Once per period: the same minute again, or the next, sends nothing more.
    expect(await renotifyOpenIncidents(db(), min(5))).toBe(0);
    expect(await renotifyOpenIncidents(db(), min(9))).toBe(0);
    await deliverPending();
    expect(received().map((r) => [r.event, r.detail])).toEqual([
      ["monitor.down", "HTTP 503 (expected 200-399)"],
      ["monitor.down", "still down: HTTP 503 (expected 200-399)"],
    ]);
    expect(await renotifyOpenIncidents(db(), min(10))).toBe(1);
    await deliverPending();
    expect(receiver.requests).toHaveLength(3);

    const [incident] = await listIncidents({ open: "true", limit: 10 });
    const acked = await acknowledgeIncident(db(), incident!.id, "oncall@example.com", min(11));
    expect(acked.incident).toMatchObject({ acknowledgedBy: "oncall@example.com", acknowledgedAt: min(11).toISOString() });
    expect(await renotifyOpenIncidents(db(), min(15))).toBe(0);
    expect(await renotifyOpenIncidents(db(), min(60))).toBe(0);
    await deliverPending();
    expect(receiver.requests).toHaveLength(3);

    // Acknowledging again keeps the first; an incident that is over cannot be acknowledged.
    expect((await acknowledgeIncident(db(), incident!.id, "other@example.com", min(20))).incident.acknowledgedBy).toBe("oncall@example.com");
    await recordCheckResults(db(), [ok(m.id, 3600)]);
    await expect(acknowledgeIncident(db(), incident!.id, "x")).rejects.toThrow(/over/);
  });

  it("a monitor without renotifyMinutes is never re-notified", async () => {
    const m = await monitor("quiet");
    await recordCheckResults(db(), [fail(m.id, 0)]);
    expect(await renotifyOpenIncidents(db(), min(600))).toBe(0);
  });

  it("notes carry author, time and text, oldest first", async () => {
    const m = await monitor("db");
    await recordCheckResults(db(), [fail(m.id, 0)]);
    const [incident] = await listIncidents({ monitorId: m.id, limit: 10 });
    await addIncidentNote(db(), incident!.id, "alice@example.com", "Looking into it");
    await addIncidentNote(db(), incident!.id, "bob@example.com", "Failover done");
    const [again] = await listIncidents({ open: "true", limit: 10 });
    expect(again!.notes.map((n) => [n.author, n.text])).toEqual([
      ["alice@example.com", "Looking into it"],
      ["bob@example.com", "Failover done"],
    ]);
    expect(again!.notes.every((n) => !Number.isNaN(Date.parse(n.createdAt)))).toBe(true);
  });
});

describe("dependencies", () => {
  it("while the parent is down the child's alerts are suppressed and marked; when the parent recovers a child still down alerts", async () => {
    const server = await monitor("server ssh");
    const app = await monitor("app http", { dependsOnId: server.id });
    await recordCheckResults(db(), [fail(server.id, 0)]);
    await recordCheckResults(db(), [fail(app.id, 10)]);
    await deliverPending();
    expect(received().map((r) => [r.event, r.monitor])).toEqual([["monitor.down", "server ssh"]]);
    const [childIncident] = await listIncidents({ monitorId: app.id, limit: 10 });
    expect(childIncident).toMatchObject({ suppressed: "suppressed: server ssh is down", endedAt: null });
    // Suppressed incidents are not re-notified either.
    await db().monitor.update({ where: { id: app.id }, data: { renotifyMinutes: 1 } });
    expect(await renotifyOpenIncidents(db(), min(30))).toBe(0);

    await recordCheckResults(db(), [ok(server.id, 60), fail(app.id, 70)]);
    await deliverPending();
    // The parent's recovery and the child's released alert are queued in one transaction: either order.
    expect(received().map((r) => `${r.event} ${r.monitor}`)).toEqual(["monitor.down server ssh", expect.any(String), expect.any(String)]);
    expect(
      received()
        .slice(1)
        .map((r) => `${r.event} ${r.monitor}`)
        .sort(),
    ).toEqual(["monitor.down app http", "monitor.up server ssh"]);
    expect((await listIncidents({ monitorId: app.id, limit: 10 }))[0]).toMatchObject({ suppressed: null });
    await recordCheckResults(db(), [ok(app.id, 120)]);
    await deliverPending();
    expect(received().at(-1)).toMatchObject({ event: "monitor.up", monitor: "app http" });
  });

  it("a child that recovers while its parent is still down ends quietly; a parent taking its child down in one batch takes the alert too", async () => {
    const parent = await monitor("parent");
    const child = await monitor("child", { dependsOnId: parent.id });
    await recordCheckResults(db(), [fail(parent.id, 0), fail(child.id, 0)]);
    await recordCheckResults(db(), [ok(child.id, 30)]);
    await deliverPending();
    expect(received().map((r) => [r.event, r.monitor])).toEqual([["monitor.down", "parent"]]);
  });

  it("a child whose parent is up alerts normally", async () => {
    const parent = await monitor("parent");
    const child = await monitor("child", { dependsOnId: parent.id });
    await recordCheckResults(db(), [ok(parent.id, 0), fail(child.id, 0)]);
    await deliverPending();
    expect(received().map((r) => [r.event, r.monitor])).toEqual([["monitor.down", "child"]]);
  });

  it("refuses a dependency on itself, on a missing monitor, and a cycle, with a clear message", async () => {
    const base = { type: "http" as const, url: "http://127.0.0.1:9/h", method: "GET" as const, expectedStatus: "200-399", intervalSeconds: 60, timeoutSeconds: 10, retries: 0 };
    const a = await createMonitor(db(), { ...base, name: "a" });
    const b = await createMonitor(db(), { ...base, name: "b", dependsOnId: a.id });
    const c = await createMonitor(db(), { ...base, name: "c", dependsOnId: b.id });
    expect(c.dependsOnId).toBe(b.id);
    await expect(updateMonitor(db(), a.id, { dependsOnId: a.id })).rejects.toThrow("dependsOnId: a monitor cannot depend on itself");
    await expect(updateMonitor(db(), a.id, { dependsOnId: c.id })).rejects.toThrow("dependsOnId: that would make a cycle (c already depends on this monitor)");
    await expect(updateMonitor(db(), a.id, { dependsOnId: b.id })).rejects.toThrow(/cycle/);
    await expect(createMonitor(db(), { ...base, name: "d", dependsOnId: "nope" })).rejects.toThrow("dependsOnId: no such monitor");
    // Clearing it (null) is allowed, and so is a dependency that makes no cycle.
    expect((await updateMonitor(db(), c.id, { dependsOnId: null })).after.dependsOnId).toBeNull();
    expect((await updateMonitor(db(), a.id, { dependsOnId: c.id })).after.dependsOnId).toBe(c.id);
  });
});
