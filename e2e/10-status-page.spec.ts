import { mkdirSync } from "node:fs";
import { expect, test, type Browser } from "@playwright/test";
import { createDbClient, type Db } from "../lib/db/client";
import { hashPassword } from "../lib/auth/password";
import { signInAs } from "./support/sign-in";

/**
 * An admin makes a status page in Settings → Status pages (picking two monitors, one under a public name) and
 * posts an incident with an update; a signed-out visitor then reads /status/<slug> at 1440 and 390 px, light
 * and dark: the groups, the 90-day bars, the incident's updates, no targets, no sideways scroll. Screenshots go
 * to test-results/e2e/status-page-*.png. The monitors are seeded with their next run far away (no checker).
 */
const admin = { email: "admin@example.test", password: "correct horse battery staple" };
const SHOTS = "test-results/e2e";
const run = Date.now().toString(36);
const slug = `e2e-${run}`;
let client: Db;
const monitorIds: string[] = [];

test.beforeAll(async () => {
  client = createDbClient(process.env.DECKHAND_E2E_DATABASE_URL!, 2);
  if (!(await client.user.findUnique({ where: { email: admin.email } }))) {
    await client.user.create({ data: { email: admin.email, role: "admin", passwordHash: await hashPassword(admin.password) } });
  }
  const far = new Date("2100-01-01T00:00:00Z");
  for (const [name, status] of [
    [`status-web-${run}`, "up"],
    [`status-db-${run}`, "down"],
  ] as const) {
    const m = await client.monitor.create({ data: { name, type: "http", url: `http://hidden-${run}.internal.example/${name}`, status, nextRunAt: far }, select: { id: true } });
    monitorIds.push(m.id);
  }
  const at = new Date(Date.now() - 5_000);
  await client.checkResult.createMany({ data: Array.from({ length: 20 }, (_, i) => ({ monitorId: monitorIds[0]!, at, ok: i !== 0, latencyMs: 10 })) });
  mkdirSync(SHOTS, { recursive: true });
});

test.afterAll(async () => {
  await client.statusPage.deleteMany({ where: { slug } });
  await client.monitor.deleteMany({ where: { id: { in: monitorIds } } });
  await client?.$disconnect();
});

async function signedInPage(browser: Browser) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await signInAs(page, admin);
  return { context, page };
}

test.describe.serial("status pages", () => {
  test("an admin creates a page in Settings and posts an incident with an update", async ({ browser }) => {
    const { context, page } = await signedInPage(browser);
    await page.goto("/settings");
    await page.getByRole("link", { name: "Status pages" }).click();
    await expect(page.getByRole("heading", { name: "Status pages", level: 1 })).toBeVisible();
    const form = page.getByTestId("status-page-form").first();

    // A bad address is named next to its field.
    await form.getByLabel("Address").fill("Not A Slug");
    await form.getByLabel("Title").fill("E2E status");
    await form.getByRole("button", { name: "Create page" }).click();
    await expect(form.getByLabel("Address")).toHaveAttribute("aria-invalid", "true");
    await expect(form.getByLabel("Address")).toHaveAccessibleDescription(/^Lowercase letters, digits and hyphens \(not at either end\)/);

    await form.getByLabel("Address").fill(slug);
    await form.getByLabel("Footer").fill("Run by the e2e suite");
    const group = form.getByTestId("group-editor").first();
    await group.getByLabel("Group name").fill("Website");
    await group.getByLabel(`status-web-${run}`).check();
    await group.getByLabel(`Public name of status-web-${run}`).fill("Shop");
    await group.getByLabel(`status-db-${run}`).check();
    await form.getByRole("button", { name: "Create page" }).click();

    const card = page.getByTestId("status-page-card").filter({ hasText: "E2E status" });
    await expect(card).toBeVisible();
    await expect(card).toContainText(`/status/${slug}`);

    await card.getByText("Post an incident").click();
    const incidentForm = card.getByTestId("incident-form");
    await incidentForm.getByLabel("Incident title").fill("Slow checkout");
    await incidentForm.getByLabel("Update").fill("We are looking into slow payments.");
    await incidentForm.getByRole("button", { name: "Post incident" }).click();
    const incident = card.getByTestId("admin-incident").filter({ hasText: "Slow checkout" });
    await expect(incident).toBeVisible();
    await incident.getByLabel("State").selectOption("monitoring");
    await incident.getByLabel("Update").fill("A fix is out; watching.");
    await incident.getByRole("button", { name: "Post update" }).click();
    await expect(incident).toContainText("A fix is out; watching.");
    await context.close();
  });

  for (const [width, scheme] of [
    [1440, "light"],
    [390, "light"],
    [390, "dark"],
  ] as const) {
    test(`a signed-out visitor reads /status/<slug> at ${width} px (${scheme})`, async ({ browser }) => {
      const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
      const page = await context.newPage();
      const res = await page.goto(`/status/${slug}`);
      expect(res?.status()).toBe(200);
      await expect(page.getByRole("heading", { name: "E2E status", level: 1 })).toBeVisible();
      await expect(page.getByTestId("overall-status")).toHaveText("Some systems are down");
      const monitors = page.getByTestId("status-monitor");
      await expect(monitors).toHaveCount(2);
      await expect(monitors.first()).toContainText("Shop");
      await expect(monitors.first()).toContainText("95.00 % up");
      await expect(monitors.first().getByTestId("uptime-days").locator("span")).toHaveCount(90);
      const incident = page.getByTestId("status-incident").filter({ hasText: "Slow checkout" });
      await expect(incident).toContainText("A fix is out; watching.");
      await expect(incident).toContainText("We are looking into slow payments.");
      await expect(page.getByText("Run by the e2e suite")).toBeVisible();
      expect(await page.content()).not.toContain("internal.example");
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), "no sideways scroll").toBeLessThanOrEqual(0);
      await page.screenshot({ path: `${SHOTS}/status-page-${width}-${scheme}.png`, fullPage: true });
      await context.close();
    });
  }

  test("an unknown slug gets a helpful 404", async ({ page }) => {
    const res = await page.goto(`/status/nothing-here-${run}`);
    expect(res?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "No status page at this address" })).toBeVisible();
  });
});
