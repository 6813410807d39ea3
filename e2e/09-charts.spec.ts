import { mkdirSync } from "node:fs";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { createDbClient, type Db } from "../lib/db/client";
import { hashPassword } from "../lib/auth/password";
import { getRolledThrough } from "../lib/health/rollups";
import { signInAs } from "./support/sign-in";

/**
 * The monitor chart and the overview tell the story of a day: a seeded history (a real database, no
 * checker: the monitors' next run is far away) with an hour down, ten deploys of which three land within
 * two minutes, an old monitor drawn by the hour and a young one drawn check by check. Screenshots of both
 * pages at 390 and 1440 px go to test-results/e2e/charts-*.png.
 */
const admin = { email: "admin@example.test", password: "correct horse battery staple" };
const HOUR = 3_600_000;
const SHOTS = "test-results/e2e";
let client: Db;
let ids: { appId: string; oldId: string; youngId: string; emptyId: string };

async function seed(now: number) {
  // The app's health URL is the seeded monitor's: without one the worker's app-monitor sync deletes its health monitor.
  const app = await client.app.create({
    data: { name: "charts-demo", repoUrl: "https://example.invalid/charts.git", deployPath: "/srv/charts-demo", healthUrl: "http://127.0.0.1:1/charts old", monitorIntervalSeconds: 120 },
  });
  const release = await client.release.create({ data: { appId: app.id, commit: "5eed".padEnd(40, "a"), dir: "20261203T080000Z-5eedaaa", status: "succeeded" } });
  // Seven deploys two hours apart, three within two minutes ten hours ago (one cluster), one of them failed.
  const at = [22, 20, 18, 16, 14, 12, 2].map((h) => now - h * HOUR).concat([0, 1, 2].map((m) => now - 10 * HOUR + m * 60_000));
  for (const [i, t] of at.entries()) {
    await client.deploy.create({
      data: {
        appId: app.id,
        kind: i === 6 ? "rollback" : "deploy",
        status: i === 8 ? "failed" : "succeeded",
        releaseId: i === 8 ? null : release.id,
        actorLabel: `deployer-${i}@example.test`,
        createdAt: new Date(t - 4 * 60_000),
        startedAt: new Date(t - 4 * 60_000),
        finishedAt: new Date(t),
      },
    });
  }
  const far = new Date("2100-01-01T00:00:00Z");
  const monitor = (name: string, createdAt: number, extra: { appId?: string; isAppHealth?: boolean } = {}) =>
    client.monitor.create({ data: { name, type: "http", url: `http://127.0.0.1:1/${name}`, status: "up", intervalSeconds: 120, nextRunAt: far, lastCheckedAt: new Date(now - 60_000), createdAt: new Date(createdAt), ...extra } });
  const old = await monitor("charts old", now - 3 * 24 * HOUR, { appId: app.id, isAppHealth: true });
  const young = await monitor("charts young", now - 2 * HOUR);
  const empty = await monitor("charts empty", now - 60_000);
  // The old one: a check every 2 minutes for 24 h, down from 6 h to 5 h ago. The young one: every minute for 2 h, 10 min down.
  await client.$executeRaw`
    INSERT INTO "CheckResult" ("monitorId", "at", "ok", "latencyMs", "detail")
    SELECT ${old.id}, g.at, NOT (g.at >= ${new Date(now - 6 * HOUR).toISOString()}::timestamp AND g.at < ${new Date(now - 5 * HOUR).toISOString()}::timestamp),
      40 + (extract(epoch FROM g.at)::bigint % 97), 'seeded'
    FROM generate_series(${new Date(now - 24 * HOUR).toISOString()}::timestamp, ${new Date(now - 60_000).toISOString()}::timestamp, interval '2 minutes') AS g(at)`;
  await client.$executeRaw`
    INSERT INTO "CheckResult" ("monitorId", "at", "ok", "latencyMs", "detail")
    SELECT ${young.id}, g.at, NOT (g.at >= ${new Date(now - 60 * 60_000).toISOString()}::timestamp AND g.at < ${new Date(now - 50 * 60_000).toISOString()}::timestamp),
      20 + (extract(epoch FROM g.at)::bigint % 31), 'seeded'
    FROM generate_series(${new Date(now - 2 * HOUR + 30_000).toISOString()}::timestamp, ${new Date(now - 30_000).toISOString()}::timestamp, interval '1 minute') AS g(at)`;
  // The rollup worker only moves forward: the hours behind its watermark get their rollups here, from the same rows.
  const through = await getRolledThrough(client);
  for (const unit of through ? (["minute", "hour", "day"] as const) : []) {
    await client.$executeRaw`
      INSERT INTO "CheckRollup" ("monitorId", bucket, "bucketStart", checks, failures, p50, p95, p99)
      SELECT "monitorId", ${unit}::"RollupBucket", date_trunc(${unit}, "at"), count(*)::int, (count(*) FILTER (WHERE NOT ok))::int,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY "latencyMs") FILTER (WHERE ok),
        percentile_cont(0.95) WITHIN GROUP (ORDER BY "latencyMs") FILTER (WHERE ok),
        percentile_cont(0.99) WITHIN GROUP (ORDER BY "latencyMs") FILTER (WHERE ok)
      FROM "CheckResult" WHERE "monitorId" = ANY(${[old.id, young.id]}::text[]) AND "at" < date_trunc(${unit}, ${through!.toISOString()}::timestamp)
      GROUP BY 1, 3
      ON CONFLICT DO NOTHING`;
  }
  return { appId: app.id, oldId: old.id, youngId: young.id, emptyId: empty.id };
}

test.beforeAll(async () => {
  client = createDbClient(process.env.DECKHAND_E2E_DATABASE_URL!, 2);
  if (!(await client.user.findUnique({ where: { email: admin.email } }))) {
    await client.user.create({ data: { email: admin.email, role: "admin", passwordHash: await hashPassword(admin.password) } });
  }
  ids = await seed(Date.now());
  mkdirSync(SHOTS, { recursive: true });
});

test.afterAll(async () => {
  if (ids) await client.app.delete({ where: { id: ids.appId } }).catch(() => undefined);
  if (ids) await client.monitor.deleteMany({ where: { id: { in: [ids.oldId, ids.youngId, ids.emptyId] } } });
  await client?.$disconnect();
});

async function signedIn(browser: Browser, width: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: "light" });
  const page = await context.newPage();
  await signInAs(page, admin);
  return page;
}

async function markerTotal(page: Page): Promise<number> {
  const counts = await page.getByTestId("deploy-marker").evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-count"))));
  return counts.reduce((a, b) => a + b, 0);
}

test.describe.serial("charts", () => {
  for (const width of [1440, 390]) {
    test(`the monitor chart at ${width} px: hourly points, a red band, deploy windows, a cluster of three, a capped legend`, async ({ browser }) => {
      const page = await signedIn(browser, width);
      await page.goto(`/monitors/${ids.oldId}?range=24h`);
      const chart = page.getByTestId("latency-chart");
      await expect(chart).toHaveAttribute("data-source", "bucket");
      await expect(chart).not.toHaveAttribute("data-clusters", "");
      expect(Number(await chart.getAttribute("data-points"))).toBeGreaterThanOrEqual(24);
      await expect(chart.getByTestId("down-band").first()).toBeAttached();
      expect(await chart.getByTestId("deploy-window").count()).toBeGreaterThanOrEqual(8);
      expect(await markerTotal(page)).toBe(10);
      const cluster = chart.locator('[data-testid="deploy-marker"][data-count="3"]');
      await expect(cluster).toHaveCount(1);
      await expect(cluster.getByTestId("deploy-marker-count")).toHaveText("3");

      // Units on both axes; every tick one line.
      await expect(chart.getByText("latency (ms)")).toBeAttached();
      await expect(chart.getByText("time (UTC)")).toBeAttached();
      const tickHeights = await chart.getByTestId("time-tick").evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
      expect(tickHeights.length).toBeGreaterThanOrEqual(3);
      const msTicks = await chart.getByTestId("ms-tick").evaluateAll((els) => els.map((e) => [e.textContent ?? "", e.getBoundingClientRect().height] as const));
      expect(msTicks.length).toBeGreaterThanOrEqual(3);
      for (const h of [...tickHeights, ...msTicks.map(([, mh]) => mh)]) expect(h).toBeLessThan(18);
      for (const [text] of msTicks) expect(text).toMatch(/^\d+(\.\d)? m?s$/);

      // A point's tooltip says its bucket's span, p95 and uptime.
      await chart.scrollIntoViewIfNeeded();
      const box = (await chart.locator("svg.recharts-surface").first().boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.5);
      await expect(page.getByTestId("latency-tooltip")).toContainText(/\d\d:00–\d\d:00 UTC · p95 \d+(\.\d)? ms · \d+(\.\d)? % up/);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), "the tooltip stays inside the page").toBeLessThanOrEqual(0);

      // The cluster lists its three deploys on hover, and on keyboard focus.
      await cluster.hover({ force: true });
      await expect(page.getByTestId("deploy-marker-tooltip-item")).toHaveCount(3);
      await expect(page.getByTestId("deploy-marker-tooltip")).toContainText("3 deploys and rollbacks");
      await page.mouse.move(0, 0);
      await expect(page.getByTestId("deploy-marker-tooltip")).toHaveCount(0);
      await page.getByText("Show all 10").scrollIntoViewIfNeeded();
      await cluster.focus();
      await expect(page.getByTestId("deploy-marker-tooltip")).toContainText("failed");
      await page.screenshot({ path: `${SHOTS}/charts-monitor-${width}.png`, fullPage: true });
      await cluster.blur();

      // The legend shows the latest eight, then all ten.
      await expect(page.getByTestId("deploy-marker-item")).toHaveCount(8);
      await page.getByRole("button", { name: "Show all 10" }).click();
      await expect(page.getByTestId("deploy-marker-item")).toHaveCount(10);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      await page.context().close();
    });
  }

  test("a young monitor's chart draws each check; one without checks says what will appear", async ({ browser }) => {
    const page = await signedIn(browser, 1440);
    await page.goto(`/monitors/${ids.youngId}?range=24h`);
    const chart = page.getByTestId("latency-chart");
    await expect(chart).toHaveAttribute("data-source", "raw");
    await expect(chart).toHaveAttribute("data-points", "120");
    await expect(chart).toHaveAttribute("data-down-bands", "1");
    await expect(chart.getByTestId("down-band")).toHaveCount(1);
    await page.screenshot({ path: `${SHOTS}/charts-monitor-young-1440.png`, fullPage: true });
    await page.goto(`/monitors/${ids.emptyId}?range=24h`);
    await expect(page.getByTestId("latency-chart-empty")).toContainText("appear here after the first check (every 120 s)");
    await page.context().close();
  });

  for (const width of [1440, 390]) {
    test(`the overview at ${width} px: each app's status, current release, last deploy and 24 h uptime bar`, async ({ browser }) => {
      const page = await signedIn(browser, width);
      const card = page.locator('[data-testid="overview-app"][data-app-name="charts-demo"]');
      await expect(card).toHaveAttribute("data-status", "up");
      await expect(card.getByTestId("overview-app-release")).toContainText("20261203T080000Z-5eedaaa");
      await expect(card.getByTestId("overview-app-last-deploy")).toContainText("rollback succeeded · 2 h ago · by deployer-6@example.test");
      const bar = card.getByTestId("uptime-bar");
      await expect(bar.locator("span")).toHaveCount(24);
      expect(await bar.locator('span[data-state="partial"], span[data-state="down"]').count()).toBeGreaterThanOrEqual(1);
      await expect(card.getByTestId("overview-app-uptime")).toContainText("%");
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      await card.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SHOTS}/charts-overview-${width}.png`, fullPage: true });
      await page.context().close();
    });
  }
});
