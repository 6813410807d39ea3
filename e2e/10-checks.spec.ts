import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { createDbClient, type Db } from "../lib/db/client";
import { signInAs } from "./support/sign-in";

/** Response assertions and the degraded state in the browser: a real JSON target, the form's assertion rows by keyboard. */
const admin = { email: "admin@example.test", password: "correct horse battery staple" };
let client: Db;
let target: http.Server;
let delayMs = 0;
let status = "ok";
let url: string;

test.beforeAll(async () => {
  client = createDbClient(process.env.DECKHAND_E2E_DATABASE_URL!, 2);
  target = http.createServer((_req, res) => {
    setTimeout(() => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ status, db: { latencyMs: 12 } }));
    }, delayMs);
  });
  await new Promise<void>((r) => target.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/health`;
});

test.afterAll(async () => {
  target?.close();
  await client?.$disconnect();
});

const signIn = (page: Page) => signInAs(page, admin);

test("an admin adds JSON assertions and a degraded threshold; the page shows results, amber degraded and days left", async ({ page }) => {
  await signIn(page);
  await page.goto("/monitors");
  const form = page.getByTestId("monitor-form");
  await form.getByLabel("Name").fill("e2e assertions");
  await form.getByLabel("URL").fill(url);
  await form.getByLabel("Interval (seconds)").fill("10");
  await form.getByLabel("Timeout (seconds)").fill("3");
  await form.getByLabel("Degraded above (ms, optional)").fill("400");
  // Add two rows and remove one, by keyboard.
  await form.getByRole("button", { name: "Add assertion" }).focus();
  await page.keyboard.press("Enter");
  await expect(form.getByLabel("Assertion 1 path")).toBeFocused();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("$.status");
  await form.getByLabel("Assertion 1 comparison").selectOption("==");
  await form.getByLabel("Assertion 1 value").fill("ok");
  await form.getByRole("button", { name: "Add assertion" }).click();
  await form.getByLabel("Assertion 2 path").fill("$.db.latencyMs");
  await form.getByLabel("Assertion 2 comparison").selectOption("<");
  await form.getByLabel("Assertion 2 value").fill("100");
  await form.getByRole("button", { name: "Add assertion" }).click();
  await form.getByRole("button", { name: "Remove assertion 3" }).focus();
  await page.keyboard.press("Enter");
  await expect(form.getByLabel("Assertion 3 path")).toHaveCount(0);
  await form.getByRole("button", { name: "Add monitor" }).click();
  await expect(page).toHaveURL(/\/monitors\/[^/]+$/);
  const id = page.url().split("/").pop()!;
  await expect(page.getByTestId("monitor-status")).toHaveAttribute("data-status", "up", { timeout: 45_000 });
  const results = page.getByTestId("assertion-results");
  await expect(results.locator('[data-ok="true"]')).toHaveCount(2);

  // A failing assertion: down, with the path and the values.
  status = "degraded";
  await expect(page.getByTestId("monitor-status")).toHaveAttribute("data-status", "down", { timeout: 45_000 });
  await expect(page.getByTestId("assertion-results")).toContainText('"degraded"');
  status = "ok";

  // Slow but right: degraded (amber) with the reason, not down.
  delayMs = 800;
  await expect(page.getByTestId("monitor-status")).toHaveAttribute("data-status", "degraded", { timeout: 45_000 });
  await expect(page.getByTestId("degraded-reason")).toContainText("degraded above 400 ms");
  // The chart shades the slow stretch amber, and the tooltip says so.
  await page.goto(`/monitors/${id}?range=1h`);
  const chart = page.getByTestId("latency-chart");
  await expect(chart).toHaveAttribute("data-degraded-bands", /^[1-9]/, { timeout: 30_000 });
  await expect(page.getByTestId("degraded-band").first()).toBeVisible();
  await chart.screenshot({ path: "test-results/e2e/monitor-degraded-band.png" });
  delayMs = 0;

  // Days left as the list and the page show them (a certificate seen by a check; set here: the worker has no test CA).
  await client.monitor.update({ where: { id }, data: { certNotAfter: new Date(Date.now() + 10 * 86_400_000 - 60_000), certSubject: "CN=localhost", certIssuer: "CN=Test CA" } });
  await page.reload();
  await expect(page.getByTestId("certificate-facts")).toContainText("10 days left");
  await page.goto("/monitors");
  await expect(page.locator(`[data-testid="monitor-row"][data-monitor-id="${id}"] [data-testid="cert-days-left"]`)).toHaveAttribute("data-days", "10");
  await page.screenshot({ path: "test-results/e2e/monitors-cert-days.png", fullPage: true });
});
