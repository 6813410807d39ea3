import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { encryptSecret } from "../crypto/secretbox";
import { currentReleaseIdForApp, isAppInDeployWindow } from "./deploy-window";
import { recordCheckResults, type CheckRecord } from "./results";

const T0 = new Date("2026-03-01T12:00:00.000Z");
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const ok = (monitorId: string, s: number, latencyMs = 20): CheckRecord => ({ monitorId, at: at(s), ok: true, latencyMs, detail: "HTTP 200" });
const fail = (monitorId: string, s: number): CheckRecord => ({ monitorId, at: at(s), ok: false, latencyMs: null, detail: "HTTP 503 (expected 200-399)" });

async function monitor(data: { retries?: number; appId?: string; name?: string } = {}) {
  return db().monitor.create({ data: { name: data.name ?? "api", type: "http", url: "http://127.0.0.1:9/health", retries: data.retries ?? 0, appId: data.appId } });
}
const state = (id: string) => db().monitor.findUniqueOrThrow({ where: { id }, select: { status: true, consecutiveFailures: true, lastCheckedAt: true } });
const deliveries = () => db().notificationDelivery.findMany({ orderBy: { createdAt: "asc" } });

beforeEach(async () => {
  await db().notificationDelivery.deleteMany();
  await db().notificationChannel.deleteMany();
  await db().notificationChannel.create({ data: { name: "hook", type: "webhook", encryptedUrl: encryptSecret("http://127.0.0.1:9/hook") } });
  await db().notificationChannel.create({ data: { name: "slack", type: "slack", encryptedUrl: encryptSecret("http://127.0.0.1:9/slack") } });
  await db().notificationChannel.create({ data: { name: "off", type: "webhook", enabled: false, encryptedUrl: encryptSecret("http://127.0.0.1:9/off") } });
});

describe("status transitions with retries", () => {
  it("goes down only after retries + 1 consecutive failures, and back up on the first success", async () => {
    const m = await monitor({ retries: 2 });
    await recordCheckResults(db(), [ok(m.id, 0)]);
    expect(await state(m.id)).toMatchObject({ status: "up", consecutiveFailures: 0 });

    await recordCheckResults(db(), [fail(m.id, 30)]);
    expect(await state(m.id)).toMatchObject({ status: "up", consecutiveFailures: 1 });
    await recordCheckResults(db(), [fail(m.id, 60)]);
    expect(await state(m.id)).toMatchObject({ status: "up", consecutiveFailures: 2 });
    expect(await db().incident.count({ where: { monitorId: m.id } })).toBe(0);

    const changes = await recordCheckResults(db(), [fail(m.id, 90)]);
    expect(changes).toEqual([{ monitorId: m.id, from: "up", to: "down", at: at(90), incidentId: expect.any(String) }]);
    expect(await state(m.id)).toMatchObject({ status: "down", consecutiveFailures: 3 });
    const incident = await db().incident.findFirstOrThrow({ where: { monitorId: m.id } });
    // The down period starts at the first failure of the streak, not at the retry that confirmed it.
    expect(incident).toMatchObject({ startedAt: at(30), endedAt: null, cause: "HTTP 503 (expected 200-399)" });

    await recordCheckResults(db(), [fail(m.id, 120)]);
    expect(await db().incident.count({ where: { monitorId: m.id } })).toBe(1);

    const up = await recordCheckResults(db(), [ok(m.id, 150)]);
    expect(up).toEqual([{ monitorId: m.id, from: "down", to: "up", at: at(150), incidentId: incident.id }]);
    expect(await state(m.id)).toMatchObject({ status: "up", consecutiveFailures: 0, lastCheckedAt: at(150) });
    expect(await db().incident.findUniqueOrThrow({ where: { id: incident.id } })).toMatchObject({ endedAt: at(150) });
  });

  it("a flapping monitor that never reaches the threshold never goes down", async () => {
    const m = await monitor({ retries: 1 });
    for (let i = 0; i < 6; i++) await recordCheckResults(db(), [i % 2 ? ok(m.id, i * 10) : fail(m.id, i * 10)]);
    expect((await state(m.id)).status).toBe("up");
    expect(await db().incident.count({ where: { monitorId: m.id } })).toBe(0);
  });

  it("a new monitor goes from pending straight to down, and pending to up is no incident", async () => {
    const down = await monitor({ retries: 0 });
    const up = await monitor({ retries: 0 });
    const changes = await recordCheckResults(db(), [fail(down.id, 0), ok(up.id, 0)]);
    expect(changes.map((c) => [c.monitorId, c.from, c.to])).toEqual([[down.id, "pending", "down"]]);
    expect((await state(up.id)).status).toBe("up");
  });

  it("applies several results of one monitor in one batch in time order", async () => {
    const m = await monitor({ retries: 1 });
    const changes = await recordCheckResults(db(), [ok(m.id, 40), fail(m.id, 20), fail(m.id, 10), ok(m.id, 0)]);
    // ok@0, fail@10, fail@20 (down), ok@40 (up)
    expect(changes.map((c) => c.to)).toEqual(["down", "up"]);
    expect(await state(m.id)).toMatchObject({ status: "up", consecutiveFailures: 0, lastCheckedAt: at(40) });
    expect(await db().checkResult.count({ where: { monitorId: m.id } })).toBe(4);
  });

  it("a paused monitor records what was already running but does not change state", async () => {
    const m = await monitor();
    await db().monitor.update({ where: { id: m.id }, data: { status: "paused" } });
    expect(await recordCheckResults(db(), [fail(m.id, 0)])).toEqual([]);
    expect((await state(m.id)).status).toBe("paused");
  });

  it("drops results of a monitor deleted meanwhile without failing the batch", async () => {
    const gone = await monitor();
    const kept = await monitor();
    await db().monitor.delete({ where: { id: gone.id } });
    await recordCheckResults(db(), [ok(gone.id, 0), ok(kept.id, 0)]);
    expect(await db().checkResult.count({ where: { monitorId: kept.id } })).toBe(1);
  });
});

describe("one notification per incident", () => {
  it("queues one down and one up alert per enabled channel for an incident, however many failures it had", async () => {
    const m = await monitor({ retries: 1, name: "checkout" });
    await recordCheckResults(db(), [ok(m.id, 0)]);
    for (let i = 1; i <= 6; i++) await recordCheckResults(db(), [fail(m.id, i * 10)]);
    let rows = await deliveries();
    expect(rows.map((d) => d.event)).toEqual(["monitor.down", "monitor.down"]);
    expect(new Set(rows.map((d) => d.channelId)).size).toBe(2);
    expect(rows[0]!.payload).toMatchObject({
      event: "monitor.down",
      monitor: { id: m.id, name: "checkout", type: "http", target: "http://127.0.0.1:9/health" },
      incident: { startedAt: at(10).toISOString(), endedAt: null },
      detail: "HTTP 503 (expected 200-399)",
    });
    await recordCheckResults(db(), [ok(m.id, 70)]);
    await recordCheckResults(db(), [ok(m.id, 80)]);
    rows = await deliveries();
    expect(rows.map((d) => d.event).sort()).toEqual(["monitor.down", "monitor.down", "monitor.up", "monitor.up"]);
    const upPayload = rows.find((d) => d.event === "monitor.up")!.payload;
    expect(upPayload).toMatchObject({ incident: { startedAt: at(10).toISOString(), endedAt: at(70).toISOString(), durationSeconds: 60 } });

    // A second incident gets its own pair.
    await recordCheckResults(db(), [fail(m.id, 90)]);
    await recordCheckResults(db(), [fail(m.id, 100)]);
    expect((await deliveries()).filter((d) => d.event === "monitor.down")).toHaveLength(4);
    expect(await db().incident.count({ where: { monitorId: m.id } })).toBe(2);
  });
});

describe("deploy windows and releases", () => {
  async function appWithRelease() {
    const app = await db().app.create({ data: { name: `shop-${Math.random().toString(36).slice(2, 8)}`, repoUrl: "https://example.invalid/shop.git", deployPath: "/srv/shop" } });
    const r1 = await db().release.create({ data: { appId: app.id, commit: "a".repeat(40), dir: "20260301T100000Z-aaaaaaa", status: "succeeded" } });
    await db().deploy.create({
      data: { appId: app.id, kind: "deploy", status: "succeeded", releaseId: r1.id, actorLabel: "alice@example.com", createdAt: at(-7200), startedAt: at(-7200), finishedAt: at(-7000) },
    });
    return { app, r1 };
  }

  it("records the release that was current, and follows a later deploy and a rollback", async () => {
    const { app, r1 } = await appWithRelease();
    const m = await monitor({ appId: app.id });
    await recordCheckResults(db(), [ok(m.id, 0)]);
    const r2 = await db().release.create({ data: { appId: app.id, commit: "b".repeat(40), dir: "20260301T120100Z-bbbbbbb", status: "succeeded" } });
    await db().deploy.create({ data: { appId: app.id, kind: "deploy", status: "succeeded", releaseId: r2.id, actorLabel: "bob", createdAt: at(50), startedAt: at(50), finishedAt: at(60) } });
    await db().deploy.create({ data: { appId: app.id, kind: "rollback", status: "succeeded", releaseId: r1.id, actorLabel: "carol", createdAt: at(200), startedAt: at(200), finishedAt: at(210) } });
    await recordCheckResults(db(), [ok(m.id, 120)]);
    await recordCheckResults(db(), [ok(m.id, 300)]);
    const results = await db().checkResult.findMany({ where: { monitorId: m.id }, orderBy: { at: "asc" }, select: { releaseId: true } });
    expect(results.map((r) => r.releaseId)).toEqual([r1.id, r2.id, r1.id]);
    expect(await currentReleaseIdForApp(app.id, at(100))).toBe(r2.id);
    expect(await currentReleaseIdForApp(app.id, at(300))).toBe(r1.id);
    expect(await currentReleaseIdForApp(app.id, at(-8000))).toBeNull();
  });

  it("during a deploy, results are marked and neither count toward down nor alert", async () => {
    const { app } = await appWithRelease();
    const m = await monitor({ appId: app.id, retries: 0 });
    await recordCheckResults(db(), [ok(m.id, 0)]);
    const deploy = await db().deploy.create({ data: { appId: app.id, kind: "deploy", status: "running", actorLabel: "alice", createdAt: at(5), startedAt: at(5) } });
    expect(await isAppInDeployWindow(app.id, at(10))).toBe(true);

    for (let i = 1; i <= 4; i++) expect(await recordCheckResults(db(), [fail(m.id, i * 10)])).toEqual([]);
    expect(await state(m.id)).toMatchObject({ status: "up", consecutiveFailures: 0 });
    const marked = await db().checkResult.findMany({ where: { monitorId: m.id, ok: false }, select: { inDeployWindow: true } });
    expect(marked).toHaveLength(4);
    expect(marked.every((r) => r.inDeployWindow)).toBe(true);
    expect(await deliveries()).toEqual([]);

    // Finished 20 s ago: still inside the grace period.
    await db().deploy.update({ where: { id: deploy.id }, data: { status: "succeeded", finishedAt: at(45) } });
    expect(await recordCheckResults(db(), [fail(m.id, 65)])).toEqual([]);
    // Past the grace period a failure counts again, and alerts.
    const changes = await recordCheckResults(db(), [fail(m.id, 80)]);
    expect(changes.map((c) => c.to)).toEqual(["down"]);
    expect((await db().incident.findFirstOrThrow({ where: { monitorId: m.id } })).startedAt).toEqual(at(80));
    expect((await deliveries()).map((d) => d.event)).toEqual(["monitor.down", "monitor.down"]);
    expect(await isAppInDeployWindow(app.id, at(80))).toBe(false);
  });

  it("a queued deploy already opens the window; another app's deploy does not", async () => {
    const { app } = await appWithRelease();
    const other = await appWithRelease();
    const m = await monitor({ appId: app.id });
    await db().deploy.create({ data: { appId: other.app.id, kind: "deploy", status: "queued", actorLabel: "x", createdAt: at(0) } });
    await recordCheckResults(db(), [fail(m.id, 10)]);
    expect((await state(m.id)).status).toBe("down");
    await db().deploy.create({ data: { appId: app.id, kind: "deploy", status: "queued", actorLabel: "x", createdAt: at(15) } });
    await recordCheckResults(db(), [ok(m.id, 20)]);
    expect((await state(m.id)).status).toBe("down");
  });
});
