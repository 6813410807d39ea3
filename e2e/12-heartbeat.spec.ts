import { expect, test, type Page } from "@playwright/test";
import { hashPassword } from "../lib/auth/password";
import { createDbClient, type Db } from "../lib/db/client";
import { signInAs } from "./support/sign-in";

/**
 * A heartbeat monitor in the browser: an admin adds one through the monitor form (the fields change with the
 * type), the monitor page shows its push URL with curl lines, a beat by that URL turns it up and shows the last
 * beat. Photographed at 1440 and 390 px.
 */
const admin = { email: "heartbeat-admin@example.test", password: "correct horse battery staple" };
let client: Db;

test.beforeAll(async () => {
  client = createDbClient(process.env.DECKHAND_E2E_DATABASE_URL!, 2);
  const passwordHash = await hashPassword(admin.password);
  await client.user.upsert({ where: { email: admin.email }, create: { email: admin.email, role: "admin", passwordHash }, update: { role: "admin", passwordHash } });
});

test.afterAll(async () => {
  await client?.$disconnect();
});

const signIn = (page: Page) => signInAs(page, admin);

test("an admin adds a heartbeat monitor, sees its push URL, and a beat turns it up", async ({ page, baseURL }) => {
  await signIn(page);
  await page.goto("/monitors");
  const form = page.getByTestId("monitor-form");
  await form.getByLabel("Name").fill("nightly backup e2e");
  await form.getByLabel("Type").selectOption("heartbeat");
  await expect(form.getByLabel("URL")).toHaveCount(0);
  await expect(form.getByLabel("Timeout (seconds)")).toHaveCount(0);
  await form.getByLabel("Grace (seconds)").fill("120");
  await form.getByLabel("Cron schedule (optional)").fill("0 3 * * *");
  await form.getByLabel("Time zone of the schedule").fill("Europe/Berlin");
  await form.getByRole("button", { name: "Add monitor" }).click();
  await page.waitForURL(/\/monitors\/[^/]+$/);
  await expect(page.getByRole("heading", { name: "Push URL" })).toBeVisible();
  const pushUrl = (await page.getByTestId("push-url").textContent())!.trim();
  expect(pushUrl).toMatch(/\/api\/push\/dhb_[\w-]{32}$/);
  await expect(page.getByTestId("push-curl")).toContainText(`curl -fsS -m 10 --retry 3 "${pushUrl}"`);
  await expect(page.getByText('push: cron "0 3 * * *" (Europe/Berlin) + 120 s grace')).toBeVisible();

  const beat = await fetch(`${baseURL}${new URL(pushUrl).pathname}?ping=1200`);
  expect(beat.status).toBe(200);
  await page.reload();
  await expect(page.getByTestId("monitor-status")).toHaveAttribute("data-status", "up");
  await expect(page.getByTestId("last-beat")).not.toContainText("—");
  await page.screenshot({ path: "test-results/e2e/heartbeat-monitor-1440.png", fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: "test-results/e2e/heartbeat-monitor-390.png", fullPage: true });
});
