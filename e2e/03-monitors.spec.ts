import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { createDbClient, type Db } from "../lib/db/client";
import { createApiToken } from "../lib/auth/tokens";
import { signInAs } from "./support/sign-in";

/** Health monitoring in the browser: a real HTTP target goes down and up; a deploy shows on the chart. */
const admin = { email: "admin@example.test", password: "correct horse battery staple" };
let client: Db;
let target: http.Server;
let healthy = true;
let url: string;

test.beforeAll(async () => {
  client = createDbClient(process.env.DECKHAND_E2E_DATABASE_URL!, 2);
  target = http.createServer((_req, res) => {
    res.writeHead(healthy ? 200 : 503);
    res.end(healthy ? "ok" : "down");
  });
  await new Promise<void>((r) => target.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/health`;
});

test.afterAll(async () => {
  target?.close();
  await client?.$disconnect();
});

const signIn = (page: Page) => signInAs(page, admin);

test.describe.serial("monitors", () => {
  test("the overview shows a monitor going down and coming back up, without a reload", async ({ page, baseURL }) => {
    const { token } = await createApiToken(client, { name: "e2e-monitors", role: "admin" });
    const res = await fetch(`${baseURL}/api/v1/monitors`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "e2e target", type: "http", url, intervalSeconds: 10, timeoutSeconds: 2, retries: 0 }),
    });
    expect(res.status).toBe(201);
    await signIn(page);
    const row = page.locator('[data-testid="monitor-row"][data-monitor-name="e2e target"]');
    await expect(row).toHaveAttribute("data-status", "up", { timeout: 45_000 });
    healthy = false;
    await expect(row).toHaveAttribute("data-status", "down", { timeout: 45_000 });
    await page.screenshot({ path: "test-results/e2e/overview-monitor-down.png", fullPage: true });
    healthy = true;
    await expect(row).toHaveAttribute("data-status", "up", { timeout: 45_000 });
    await page.screenshot({ path: "test-results/e2e/overview-monitor-up.png", fullPage: true });
  });

  test("the monitor page chart marks the deploys of its app", async ({ page }) => {
    const app = await client.app.findFirstOrThrow({ where: { name: "shop" } });
    const monitor = await client.monitor.findFirstOrThrow({ where: { appId: app.id, isAppHealth: true } });
    const deploys = await client.deploy.count({ where: { appId: app.id, status: "succeeded" } });
    expect(deploys).toBeGreaterThan(0);
    await signIn(page);
    await page.goto(`/monitors/${monitor.id}?range=24h`);
    await expect(page.getByTestId("latency-chart").locator("svg").first()).toBeVisible();
    const markers = page.getByTestId("deploy-marker");
    await expect(markers.first()).toBeAttached();
    // Deploys close together are one marker with a count: the counts add up to every deploy.
    const counts = await markers.evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-count"))));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(deploys);
    await expect(page.getByTestId("deploy-marker-item").first()).toContainText("deployer@example.test");
    await markers.first().hover({ force: true });
    await page.screenshot({ path: "test-results/e2e/monitor-page-deploy-markers.png", fullPage: true });
  });
});
