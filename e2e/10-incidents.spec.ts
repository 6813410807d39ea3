import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { hashPassword } from "../lib/auth/password";
import { createApiToken } from "../lib/auth/tokens";
import { createDbClient, type Db } from "../lib/db/client";
import { signInAs } from "./support/sign-in";

/**
 * Maintenance and incidents in the browser: an admin adds a maintenance window under Monitors → Maintenance and
 * sees it shaded on the monitor's chart with the monitor shown as "maintenance"; a monitor that goes down is
 * acknowledged and noted on its page. Photographed at 390 px.
 */
// Its own admin, so the spec runs alone as well as after 01-foundation's setup.
const admin = { email: "incidents-admin@example.test", password: "correct horse battery staple" };
const run = Date.now().toString(36);
let client: Db;
let target: http.Server;
let healthy = true;
let url: string;
let token = "";

test.beforeAll(async () => {
  client = createDbClient(process.env.DECKHAND_E2E_DATABASE_URL!, 2);
  const passwordHash = await hashPassword(admin.password);
  await client.user.upsert({ where: { email: admin.email }, create: { email: admin.email, role: "admin", passwordHash }, update: { role: "admin", passwordHash } });
  token = (await createApiToken(client, { name: `e2e-incidents-${run}`, role: "admin" })).token;
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

async function createMonitor(baseURL: string | undefined, name: string): Promise<string> {
  const res = await fetch(`${baseURL}/api/v1/monitors`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ name, type: "http", url, intervalSeconds: 10, timeoutSeconds: 2, retries: 0 }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/** A datetime-local value, in the browser's (the test's) time zone. */
function local(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

test.describe.serial("incidents and maintenance", () => {
  test("an admin adds a maintenance window and sees it shaded on the monitor's chart", async ({ page, baseURL }) => {
    const name = `e2e maint ${run}`;
    const id = await createMonitor(baseURL, name);
    await signIn(page);
    await page.goto("/settings/maintenance");
    const form = page.getByTestId("maintenance-form");
    await form.getByLabel("Name", { exact: true }).fill(`patching ${run}`);
    await form.getByLabel("Starts").fill(local(Date.now() - 30 * 60_000));
    await form.getByLabel("Ends").fill(local(Date.now() + 30 * 60_000));
    await form.getByLabel(name, { exact: true }).check();
    await form.getByRole("button", { name: "Add maintenance window" }).click();
    const row = page.locator('[data-testid="maintenance-row"]', { hasText: `patching ${run}` });
    await expect(row).toHaveAttribute("data-active", "true");

    await page.goto(`/monitors/${id}?range=1h`);
    await expect(page.getByTestId("monitor-status")).toHaveAttribute("data-maintenance", "true");
    await expect(page.getByTestId("latency-chart")).toHaveAttribute("data-maintenance-bands", "1", { timeout: 30_000 });
    await expect(page.getByTestId("maintenance-band")).toHaveCount(1);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: "test-results/e2e/monitor-maintenance-390.png", fullPage: true });
    // The list shows it as "maintenance" too.
    await page.goto("/monitors");
    const listed = page.locator(`[data-testid="monitor-row"][data-monitor-id="${id}"]`);
    await expect(listed).toHaveAttribute("data-maintenance", "true");
    await expect(listed.getByTestId("monitor-status")).toHaveText("maintenance");

    // Deleting asks first.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto("/settings/maintenance");
    await row.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("button", { name: "Delete window" }).click();
    await expect(row).toHaveCount(0);
  });

  test("an admin adds a recurring window by RRULE; a rule it cannot use is refused beside the field", async ({ page, baseURL }) => {
    const name = `e2e rrule ${run}`;
    await createMonitor(baseURL, name);
    await signIn(page);
    await page.goto("/settings/maintenance");
    const form = page.getByTestId("maintenance-form");
    await form.getByLabel("Name", { exact: true }).fill(`monthly ${run}`);
    await form.getByLabel("Recurring").check();
    await form.getByLabel("Calendar rule (RRULE)").check();
    await form.getByLabel("Time zone").fill("Europe/Berlin");
    await form.getByLabel(name, { exact: true }).check();
    const rule = form.getByLabel("RRULE", { exact: true });
    await rule.fill("FREQ=HOURLY");
    await form.getByRole("button", { name: "Add maintenance window" }).click();
    await expect(rule).toHaveAttribute("aria-invalid", "true");
    await expect(form.locator("[data-field-error]")).toContainText("a maintenance window repeats DAILY, WEEKLY, MONTHLY or YEARLY");

    await rule.fill("FREQ=MONTHLY;BYDAY=1SU;BYHOUR=3;BYMINUTE=0");
    await form.getByRole("button", { name: "Add maintenance window" }).click();
    const row = page.locator('[data-testid="maintenance-row"]', { hasText: `monthly ${run}` });
    await expect(row).toContainText("FREQ=MONTHLY;BYDAY=1SU;BYHOUR=3;BYMINUTE=0 in Europe/Berlin, 60 min each time");
    await expect(row).toHaveAttribute("data-active", "false");
    await expect(row).toContainText("upcoming");
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: "test-results/e2e/maintenance-rrule-390.png", fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await row.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("button", { name: "Delete window" }).click();
    await expect(row).toHaveCount(0);
  });

  test("a monitor that goes down is acknowledged and noted on its page", async ({ page, baseURL }) => {
    const id = await createMonitor(baseURL, `e2e incident ${run}`);
    healthy = false;
    await signIn(page);
    await page.goto(`/monitors/${id}`);
    const incident = page.locator('[data-testid="incident-row"][data-open="true"]');
    await expect(incident).toHaveCount(1, { timeout: 45_000 });
    await incident.getByRole("button", { name: "Acknowledge" }).click();
    await expect(incident).toHaveAttribute("data-acknowledged", "true");
    await expect(incident.getByTestId("incident-ack")).toContainText(`acknowledged by ${admin.email}`);
    await incident.getByLabel(/Note on the incident/).fill("Looking at the load balancer");
    await incident.getByRole("button", { name: "Add note" }).click();
    await expect(incident.getByTestId("incident-note")).toContainText("Looking at the load balancer");
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: "test-results/e2e/monitor-incident-390.png", fullPage: true });
    healthy = true;
  });
});
