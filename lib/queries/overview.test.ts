import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { recordCheckResults } from "../health/results";
import { rollUpResults, ROLLUP_SETTING_KEY } from "../health/rollups";
import { HOUR_MS } from "../health/time";
import { last24Hours, listAppOverview } from "./overview";
import { loadHourlyCounts } from "./series";

beforeEach(async () => {
  await db().monitor.deleteMany();
  await db().app.deleteMany();
  await db().setting.deleteMany({ where: { key: ROLLUP_SETTING_KEY } });
});

describe("last24Hours", () => {
  it("is the 24 hours ending with the current one, zero where nothing was checked", () => {
    const now = 100 * HOUR_MS + 20 * 60_000;
    const hours = last24Hours(
      [
        { t: 100 * HOUR_MS, checks: 6, failures: 1 },
        { t: 77 * HOUR_MS, checks: 60, failures: 0 },
        { t: 50 * HOUR_MS, checks: 1, failures: 1 },
      ],
      now,
    );
    expect(hours).toHaveLength(24);
    expect(hours[0]).toEqual({ t: 77 * HOUR_MS, checks: 60, failures: 0 });
    expect(hours[23]).toEqual({ t: 100 * HOUR_MS, checks: 6, failures: 1 });
    expect(hours[10]).toEqual({ t: 87 * HOUR_MS, checks: 0, failures: 0 });
  });
});

describe("app overview", () => {
  it("gives each app its current release, last deploy and its health monitor's hours, rolled up or raw alike", async () => {
    // Half past an hour, so each check's hour is fixed whatever the clock says.
    const now = new Date(Math.floor(Date.now() / HOUR_MS) * HOUR_MS + 30 * 60_000);
    const shop = await db().app.create({ data: { name: "shop", repoUrl: "https://example.invalid/x.git", deployPath: "/srv/shop" } });
    await db().app.create({ data: { name: "blog", repoUrl: "https://example.invalid/y.git", deployPath: "/srv/blog" } });
    const release = await db().release.create({ data: { appId: shop.id, commit: "c0ffee".padEnd(40, "0"), dir: "20261201T000000Z-c0ffee0", status: "succeeded" } });
    await db().deploy.create({
      data: { appId: shop.id, kind: "deploy", status: "succeeded", releaseId: release.id, actorLabel: "alice", createdAt: new Date(now.getTime() - 2 * HOUR_MS), finishedAt: new Date(now.getTime() - 2 * HOUR_MS + 60_000) },
    });
    const health = await db().monitor.create({ data: { name: "shop health", type: "http", url: "http://127.0.0.1:1/h", appId: shop.id, isAppHealth: true, status: "up" } });
    await db().monitor.create({ data: { name: "shop extra", type: "http", url: "http://127.0.0.1:1/x", appId: shop.id, status: "down" } });
    const at = (hoursAgo: number, ok: boolean) => ({ monitorId: health.id, at: new Date(now.getTime() - hoursAgo * HOUR_MS), ok, latencyMs: ok ? 10 : null, detail: ok ? "HTTP 200" : "HTTP 500" });
    await recordCheckResults(db(), [at(30, false), at(5.1, false), at(5, true), at(3, true), at(0.1, true)]);
    // Half rolled up: the hours before the watermark come from rollups, the rest from raw results.
    await rollUpResults(db(), { now: new Date(now.getTime() - 2 * HOUR_MS) });

    const rows = await listAppOverview(now);
    expect(rows.map((r) => r.name)).toEqual(["blog", "shop"]);
    expect(rows[0]).toMatchObject({ current: null, lastDeploy: null, health: null });
    const s = rows[1]!;
    expect(s.current?.dir).toBe("20261201T000000Z-c0ffee0");
    expect(s.lastDeploy).toMatchObject({ kind: "deploy", status: "succeeded", actorLabel: "alice" });
    const status = (await db().monitor.findUniqueOrThrow({ where: { id: health.id } })).status;
    expect(s.health).toMatchObject({ monitorId: health.id, status, uptime24h: 75 });
    expect(s.health!.hours).toHaveLength(24);
    expect(s.health!.hours.filter((h) => h.checks > 0).map((h) => [h.checks, h.failures])).toEqual([
      [2, 1],
      [1, 0],
      [1, 0],
    ]);
    expect(s.health!.hours.at(-1)!.checks).toBe(1);
  });

  it("reads the hours of many monitors in one statement", async () => {
    const now = new Date();
    const ms = await Promise.all(["a", "b", "c"].map((n) => db().monitor.create({ data: { name: n, type: "http", url: `http://127.0.0.1:1/${n}` } })));
    await recordCheckResults(
      db(),
      ms.map((m, i) => ({ monitorId: m.id, at: new Date(now.getTime() - i * HOUR_MS), ok: i !== 1, latencyMs: 1, detail: "x" })),
    );
    const counts = await loadHourlyCounts(
      db(),
      ms.map((m) => m.id),
      { from: new Date(now.getTime() - 23 * HOUR_MS), to: new Date(now.getTime() + 1) },
    );
    expect(counts.map((c) => [ms.findIndex((m) => m.id === c.monitorId), c.checks, c.failures]).sort()).toEqual([
      [0, 1, 0],
      [1, 1, 1],
      [2, 1, 0],
    ]);
    expect(await loadHourlyCounts(db(), [], { from: now, to: now })).toEqual([]);
  });
});
