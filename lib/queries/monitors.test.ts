import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { recordCheckResults } from "../health/results";
import { pruneHealthHistory, rollUpResults, ROLLUP_SETTING_KEY } from "../health/rollups";
import { generateResults } from "../health/testing/synthetic";
import { DAY_MS, HOUR_MS } from "../health/time";
import { getMonitorPage, getMonitorSeries, getMonitorUptime, getReleaseScorecard, listMonitorOverview } from "./monitors";

beforeEach(async () => {
  await db().monitor.deleteMany();
  await db().app.deleteMany();
  await db().setting.deleteMany({ where: { key: ROLLUP_SETTING_KEY } });
});

const mk = (name: string, extra: { appId?: string; status?: "up" | "down" | "pending" | "paused" } = {}) => db().monitor.create({ data: { name, type: "http", url: `http://127.0.0.1:1/${name}`, ...extra } });

async function app(name: string) {
  return db().app.create({ data: { name, repoUrl: "https://example.invalid/x.git", deployPath: "/srv/x" } });
}

describe("overview", () => {
  it("lists down first, with 24 h and 30 d uptime and a sparkline of the latest checks", async () => {
    const now = new Date();
    const a = await mk("alpha", { status: "up" });
    const z = await mk("zulu", { status: "down" });
    const p = await mk("paused", { status: "paused" });
    await generateResults(db(), { monitorIds: [a.id], from: new Date(now.getTime() - 3 * DAY_MS), to: now, stepSeconds: 300, failureEvery: 4 });
    await rollUpResults(db(), { now });
    const rows = await listMonitorOverview(now);
    expect(rows.map((r) => r.name)).toEqual(["zulu", "alpha", "paused"]);
    const alpha = rows.find((r) => r.id === a.id)!;
    const day = await getMonitorUptime(a.id, "24h", now);
    expect(alpha.uptime24h).toBe(day.uptimePercent);
    expect(alpha.uptime24h).toBeGreaterThan(60);
    expect(alpha.uptime24h).toBeLessThan(90);
    expect(alpha.uptime30d).toBe((await getMonitorUptime(a.id, "30d", now)).uptimePercent);
    expect(alpha.sparkline).toHaveLength(30);
    expect(alpha.sparkline.map((s) => s.t)).toEqual([...alpha.sparkline.map((s) => s.t)].sort((x, y) => x - y));
    expect(rows.find((r) => r.id === z.id)).toMatchObject({ uptime24h: null, sparkline: [] });
    expect(rows.find((r) => r.id === p.id)!.status).toBe("paused");
  });
});

describe("monitor page", () => {
  it("has four uptime windows, the chart with deploy and rollback markers, recent checks and incidents", async () => {
    const shop = await app("shop");
    const m = await mk("shop health", { appId: shop.id });
    const now = new Date();
    const release = await db().release.create({ data: { appId: shop.id, commit: "c0ffee".padEnd(40, "0"), dir: "20260301T000000Z-c0ffee0", status: "succeeded" } });
    await db().deploy.create({
      data: {
        appId: shop.id,
        kind: "deploy",
        status: "succeeded",
        releaseId: release.id,
        actorLabel: "alice@example.com",
        createdAt: new Date(now.getTime() - 3 * HOUR_MS),
        startedAt: new Date(now.getTime() - 3 * HOUR_MS),
        finishedAt: new Date(now.getTime() - 3 * HOUR_MS + 60_000),
      },
    });
    await db().deploy.create({
      data: { appId: shop.id, kind: "rollback", status: "succeeded", releaseId: release.id, actorLabel: "token ci", createdAt: new Date(now.getTime() - HOUR_MS), finishedAt: new Date(now.getTime() - HOUR_MS + 5_000) },
    });
    await db().deploy.create({
      data: { appId: shop.id, kind: "deploy", status: "succeeded", actorLabel: "old", createdAt: new Date(now.getTime() - 3 * DAY_MS), finishedAt: new Date(now.getTime() - 3 * DAY_MS) },
    });
    const t = (minAgo: number) => new Date(now.getTime() - minAgo * 60_000);
    await recordCheckResults(db(), [{ monitorId: m.id, at: t(30), ok: true, latencyMs: 12, detail: "HTTP 200" }]);
    await recordCheckResults(db(), [{ monitorId: m.id, at: t(20), ok: false, latencyMs: null, detail: "HTTP 500 (expected 200-399)" }]);
    await recordCheckResults(db(), [{ monitorId: m.id, at: t(10), ok: true, latencyMs: 15, detail: "HTTP 200" }]);

    const page = await getMonitorPage(m.id, "24h", now);
    expect(page.uptime.map((u) => [u.window, u.checks, u.failures, u.uptimePercent])).toEqual([
      ["24h", 3, 1, 66.667],
      ["7d", 3, 1, 66.667],
      ["30d", 3, 1, 66.667],
      ["90d", 3, 1, 66.667],
    ]);
    expect(page.chart.bucket).toBe("hour");
    // A monitor younger than the window: each check is a point, not one hourly dot.
    expect(page.chart.source).toBe("raw");
    expect(page.chart.points.map((p) => [p.t, p.checks, p.failures, p.p95])).toEqual([
      [t(30).getTime(), 1, 0, 12],
      [t(20).getTime(), 1, 1, null],
      [t(10).getTime(), 1, 0, 15],
    ]);
    expect(page.chart.markers[0]).toMatchObject({ start: now.getTime() - 3 * HOUR_MS, end: now.getTime() - 3 * HOUR_MS + 60_000 });
    expect(page.chart.markers.map((k) => [k.kind, k.actor, k.commit?.slice(0, 6), k.release])).toEqual([
      ["deploy", "alice@example.com", "c0ffee", "20260301T000000Z-c0ffee0"],
      ["rollback", "token ci", "c0ffee", "20260301T000000Z-c0ffee0"],
    ]);
    expect(page.recentChecks.map((c) => c.ok)).toEqual([true, false, true]);
    expect(page.incidents).toHaveLength(1);
    expect(page.incidents[0]).toMatchObject({ startedAt: t(20).getTime(), endedAt: t(10).getTime(), durationSeconds: 600, cause: "HTTP 500 (expected 200-399)" });
    expect(page.monitor.app?.name).toBe("shop");
  });

  it("draws buckets for a monitor older than the window, and for a young one past the raw limit", async () => {
    const now = new Date();
    const old = await db().monitor.create({ data: { name: "old", type: "http", url: "http://127.0.0.1:1/old", createdAt: new Date(now.getTime() - 3 * DAY_MS) } });
    await generateResults(db(), { monitorIds: [old.id], from: new Date(now.getTime() - 2 * HOUR_MS), to: now, stepSeconds: 600 });
    const page = await getMonitorPage(old.id, "24h", now);
    expect(page.chart.source).toBe("bucket");
    expect(page.chart.points.length).toBeLessThanOrEqual(3);
    expect(page.chart.points.reduce((n, p) => n + p.checks, 0)).toBe(12);
    const busy = await db().monitor.create({ data: { name: "busy", type: "http", url: "http://127.0.0.1:1/busy", createdAt: new Date(now.getTime() - 3 * HOUR_MS) } });
    await generateResults(db(), { monitorIds: [busy.id], from: new Date(now.getTime() - 3 * HOUR_MS), to: now, stepSeconds: 10 });
    expect((await getMonitorPage(busy.id, "24h", now)).chart.source).toBe("bucket");
    expect((await getMonitorPage(busy.id, "1h", now)).chart.source).toBe("bucket");
  });

  it("rejects a series that would be too many points, and an unknown monitor", async () => {
    const m = await mk("s");
    await expect(getMonitorSeries(m.id, { from: new Date(Date.now() - 30 * DAY_MS), to: new Date(), bucket: "minute" })).rejects.toThrow(/use a larger bucket/);
    await expect(getMonitorSeries("nope", { from: new Date(Date.now() - DAY_MS), to: new Date(), bucket: "hour" })).rejects.toThrow(/Monitor not found/);
  });
});

describe("release scorecard", () => {
  it("compares each release's error rate and p95 with the release before it", async () => {
    const shop = await app("shop");
    const m = await mk("shop health", { appId: shop.id });
    const now = Date.now();
    const rel = async (c: string) => db().release.create({ data: { appId: shop.id, commit: c.repeat(40), dir: `r-${c}`, status: "succeeded" } });
    const [r1, r2] = [await rel("a"), await rel("b")];
    const deployAt = async (releaseId: string, finishedAgo: number, kind: "deploy" | "rollback" = "deploy") =>
      db().deploy.create({ data: { appId: shop.id, kind, status: "succeeded", releaseId, actorLabel: `who-${kind}`, createdAt: new Date(now - finishedAgo - 60_000), finishedAt: new Date(now - finishedAgo) } });
    await deployAt(r1.id, 4 * HOUR_MS);
    await deployAt(r2.id, 2 * HOUR_MS);
    // r1 era: 10 checks at 10 ms, 0 failures. r2 era: 10 checks at 100 ms, 5 failures.
    const records = [];
    for (let i = 0; i < 10; i++) records.push({ monitorId: m.id, at: new Date(now - 3 * HOUR_MS + i * 60_000), ok: true, latencyMs: 10, detail: "HTTP 200" });
    for (let i = 0; i < 10; i++) records.push({ monitorId: m.id, at: new Date(now - HOUR_MS + i * 60_000), ok: i % 2 === 0, latencyMs: i % 2 === 0 ? 100 : null, detail: "x" });
    await recordCheckResults(db(), records);
    const card = await getReleaseScorecard(shop.id);
    expect(card.map((r) => [r.release, r.checks, r.failures, r.errorRate, r.p95Ms, r.source])).toEqual([
      ["r-b", 10, 5, 0.5, 100, "raw"],
      ["r-a", 10, 0, 0, 10, "raw"],
    ]);
    expect(card[0]!.previous).toEqual({ release: "r-a", errorRate: 0, p95Ms: 10 });
    expect(card[1]!.previous).toBeNull();
    const stamped = await db().checkResult.groupBy({ by: ["releaseId"], where: { monitorId: m.id }, _count: true });
    expect(Object.fromEntries(stamped.map((s) => [s.releaseId, s._count]))).toEqual({ [r1.id]: 10, [r2.id]: 10 });
  });

  it("keeps a closed period's figures: read back without its checks, computed again when the app's monitors change", async () => {
    const shop = await app("shop");
    const m = await mk("shop health", { appId: shop.id });
    const now = Date.now();
    const rel = async (c: string) => db().release.create({ data: { appId: shop.id, commit: c.repeat(40), dir: `r-${c}`, status: "succeeded" } });
    const deployAt = async (releaseId: string, finishedAgo: number) =>
      db().deploy.create({ data: { appId: shop.id, kind: "deploy", status: "succeeded", releaseId, actorLabel: "who", createdAt: new Date(now - finishedAgo - 60_000), finishedAt: new Date(now - finishedAgo) } });
    const first = await deployAt((await rel("a")).id, 4 * HOUR_MS);
    const current = await deployAt((await rel("b")).id, 2 * HOUR_MS);
    const records = [];
    for (let i = 0; i < 10; i++) records.push({ monitorId: m.id, at: new Date(now - 3 * HOUR_MS + i * 60_000), ok: i !== 0, latencyMs: i !== 0 ? 40 : null, detail: "x" });
    for (let i = 0; i < 4; i++) records.push({ monitorId: m.id, at: new Date(now - HOUR_MS + i * 60_000), ok: true, latencyMs: 15, detail: "HTTP 200" });
    await recordCheckResults(db(), records);
    const figures = (card: Awaited<ReturnType<typeof getReleaseScorecard>>) => card.map((r) => [r.release, r.checks, r.failures, r.p95Ms]);
    const expected = [
      ["r-b", 4, 0, 15],
      ["r-a", 10, 1, 40],
    ];
    // Not rolled up yet: more checks could still land in the closed period, so nothing is kept.
    expect(figures(await getReleaseScorecard(shop.id))).toEqual(expected);
    expect(await db().releaseScore.count()).toBe(0);
    await rollUpResults(db(), { now: new Date(now) });
    expect(figures(await getReleaseScorecard(shop.id))).toEqual(expected);
    // Only the closed period is kept (the current one changes with every check).
    expect(await db().releaseScore.findMany({ select: { deployId: true, checks: true, failures: true, source: true } })).toEqual([{ deployId: first.id, checks: 10, failures: 1, source: "raw" }]);
    expect(await db().releaseScore.count({ where: { deployId: current.id } })).toBe(0);

    // The raw checks gone (retention): the closed period still reads its exact, kept figures (a recount would
    // come from the hourly rollups).
    await db().$executeRaw`DELETE FROM "CheckResultData" WHERE "monitorSeq" = (SELECT seq FROM "Monitor" WHERE id = ${m.id})`;
    const closed = async () => (await getReleaseScorecard(shop.id)).map((r) => [r.release, r.checks, r.failures, r.p95Ms, r.source])[1];
    expect(await closed()).toEqual(["r-a", 10, 1, 40, "raw"]);
    // Another monitor joins the app: the kept figures described other monitors, so they are computed again, from
    // what retention left (the rollups).
    await mk("shop second", { appId: shop.id });
    expect((await closed())?.filter((_, i) => i !== 3)).toEqual(["r-a", 10, 1, "rollup"]);
  });

  it("falls back to hourly rollups for releases older than the raw results", async () => {
    const shop = await app("shop");
    const m = await mk("shop health", { appId: shop.id });
    const now = new Date();
    const start = new Date(Math.floor((now.getTime() - 40 * DAY_MS) / DAY_MS) * DAY_MS);
    const rel = await db().release.create({ data: { appId: shop.id, commit: "d".repeat(40), dir: "r-old", status: "succeeded" } });
    await db().deploy.create({ data: { appId: shop.id, kind: "deploy", status: "succeeded", releaseId: rel.id, actorLabel: "x", createdAt: start, finishedAt: start } });
    await generateResults(db(), { monitorIds: [m.id], from: start, to: now, stepSeconds: 600 });
    await rollUpResults(db(), { now });
    await pruneHealthHistory(db(), { now, rawDays: 14, rollupDays: { minute: 400, hour: 400, day: 400 } });
    const [row] = await getReleaseScorecard(shop.id);
    expect(row!.source).toBe("rollup");
    expect(row!.checks).toBeGreaterThan(5_000);
    expect(row!.errorRate).toBeGreaterThan(0.05);
    expect(row!.errorRate).toBeLessThan(0.15);
    expect(row!.p95Ms).toBeGreaterThan(400);
  });
});
