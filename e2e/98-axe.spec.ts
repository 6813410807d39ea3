import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { hashPassword } from "../lib/auth/password";
import { createDbClient, type Db } from "../lib/db/client";
import { DASHBOARD, fillRoute, pagesUnder } from "./support/dashboard-pages";

/**
 * axe-core on every page, in light and in dark: no serious or critical violation. The dashboard pages are found
 * from app/(dashboard) itself (as 99-every-page does), so a new page is swept without being listed here; a
 * dynamic segment is filled with a row the earlier specs made (02-deploy's app, server and deploy, 03-monitors'
 * monitor). Swept as an admin, who sees every page and every control; the sign-in page is swept signed out.
 * A violation is reported as page, theme, rule id, impact and the selector of each node it found.
 */
const THEMES = ["light", "dark"] as const;
type Theme = (typeof THEMES)[number];
let client: Db;

const fill = (route: string) => fillRoute(client, route);

/** The theme as the person would choose it: stored for next-themes before any script runs, and the system's to match. */
async function useTheme(page: Page, theme: Theme): Promise<void> {
  await page.emulateMedia({ colorScheme: theme });
  await page.addInitScript((t) => window.localStorage.setItem("theme", t), theme);
}

/** The serious and critical violations on the page as it is now, one line per rule. */
async function violations(page: Page, label: string): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${label}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

async function settle(page: Page, theme: Theme): Promise<void> {
  // Time for hydration and the first client fetches; the theme class is on <html> by then.
  await page.waitForTimeout(800);
  await expect(page.locator("html")).toHaveClass(new RegExp(`\\b${theme}\\b`));
}

test.beforeAll(async () => {
  client = createDbClient(process.env.DECKHAND_E2E_DATABASE_URL!, 2);
});
test.afterAll(async () => {
  await client?.$disconnect();
});

for (const theme of THEMES) {
  test(`every page in ${theme}: no serious or critical axe violation`, async ({ page }) => {
    test.setTimeout(300_000);
    await useTheme(page, theme);
    const found: string[] = [];

    await page.goto("/login");
    await settle(page, theme);
    found.push(...(await violations(page, `/login [${theme}]`)));

    const user = { email: "axe-admin@example.test", password: "correct horse battery staple" };
    const passwordHash = await hashPassword(user.password);
    await client.user.upsert({ where: { email: user.email }, create: { email: user.email, role: "admin", passwordHash }, update: { role: "admin", passwordHash, disabled: false } });
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password", { exact: true }).fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();

    const routes = pagesUnder(DASHBOARD);
    expect(routes.length).toBeGreaterThan(8);
    for (const route of routes) {
      const url = await fill(route);
      await page.goto(url, { waitUntil: "load" });
      await settle(page, theme);
      found.push(...(await violations(page, `${url} (${route}) [${theme}]`)));
    }

    // A confirmation dialog open over the page (the top layer, its own colours in each theme).
    await page.goto("/settings");
    await settle(page, theme);
    await page
      .locator("button:not([disabled])", { hasText: /^Disable$/ })
      .first()
      .click();
    const dialog = page.getByRole("dialog", { name: /^Disable .*\?$/ });
    await expect(dialog).toBeVisible();
    found.push(...(await violations(page, `/settings, the disable dialog open [${theme}]`)));
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();

    expect(found, found.join("\n")).toEqual([]);
  });
}
