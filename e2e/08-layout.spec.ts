import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { createDbClient, type Db } from "../lib/db/client";
import { hashPassword } from "../lib/auth/password";
import { createApiToken } from "../lib/auth/tokens";
import { createServer } from "../lib/servers/servers";
import { createApp } from "../lib/apps/apps";
import { startSshd, type TestSshd } from "../test/harness/sshd";
import { createTestRepo, demoAppInput, freePort, stopDemoApp, type TestRepo } from "../test/harness/git-app";
import { signInAs } from "./support/sign-in";

/**
 * Every dashboard page at a phone's width and a desktop's, light and dark: no sideways page scroll, a screenshot of
 * each (test-results/e2e/screens/<page>-<width>-<theme>.png), no script refused by the Content-Security-Policy.
 * The theme toggle is remembered across a reload and applied before any of the page's own code runs; the menu
 * that holds the links on a phone works with the keyboard. Data comes from a real deploy over real sshd.
 */
const admin = { email: "admin@example.test", password: "correct horse battery staple" };
const SCREENS = "test-results/e2e/screens";
const WIDTHS = [390, 1440] as const;
const THEMES = ["light", "dark"] as const;

let client: Db;
let sshd: TestSshd;
let repo: TestRepo;
let root: string;
let ids: { appId: string; serverId: string; deployId: string; monitorId: string };

async function api(baseURL: string, token: string, route: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${baseURL}${route}`, { ...init, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" } });
}

async function deployAndWait(baseURL: string, token: string, appId: string, ref: string): Promise<string> {
  const res = await api(baseURL, token, `/api/v1/apps/${appId}/deploys`, { method: "POST", body: JSON.stringify({ ref }) });
  expect(res.status, await res.clone().text()).toBe(202);
  const { id } = (await res.json()) as { id: string };
  await expect.poll(async () => ((await (await api(baseURL, token, `/api/v1/deploys/${id}`)).json()) as { status: string }).status, { timeout: 90_000 }).toBe("succeeded");
  return id;
}

test.beforeAll(async ({ baseURL }) => {
  test.setTimeout(240_000);
  client = createDbClient(process.env.DECKHAND_E2E_DATABASE_URL!, 2);
  // Alone, this spec brings its own admin; after 01-foundation the admin made there signs in.
  if (!(await client.user.findUnique({ where: { email: admin.email } }))) {
    await client.user.create({ data: { email: admin.email, role: "admin", passwordHash: await hashPassword(admin.password) } });
  }
  sshd = await startSshd();
  repo = createTestRepo(2);
  root = mkdtempSync(path.join(os.tmpdir(), "deckhand-e2e-layout-"));
  const { server } = await createServer(client, { name: "layout-web-1", host: sshd.host, port: sshd.port, username: sshd.username, privateKey: sshd.privateKey, hostKeyFingerprint: sshd.hostKeyFingerprint });
  const port = await freePort();
  const deployPath = path.join(root, "storefront");
  const app = await createApp(client, demoAppInput({ name: "storefront", repoPath: repo.path, deployPath, port, serverIds: [server.id] }));
  const { token } = await createApiToken(client, { name: "e2e-layout", role: "admin" });
  await deployAndWait(baseURL!, token, app.id, "v1.0");
  const deployId = await deployAndWait(baseURL!, token, app.id, "main");
  // A monitor checking every 10 s, so its page and the overview have a few real checks to draw.
  const created = await api(baseURL!, token, "/api/v1/monitors", {
    method: "POST",
    body: JSON.stringify({ name: "storefront api", type: "http", url: `http://127.0.0.1:${port}/health`, intervalSeconds: 10, timeoutSeconds: 2, retries: 0, appId: app.id }),
  });
  expect(created.status, await created.clone().text()).toBe(201);
  const monitor = (await created.json()) as { id: string };
  await expect.poll(() => client.checkResult.count({ where: { monitorId: monitor.id, ok: true } }), { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
  ids = { appId: app.id, serverId: server.id, deployId, monitorId: monitor.id };
  mkdirSync(SCREENS, { recursive: true });
});

test.afterAll(async () => {
  if (root) stopDemoApp(path.join(root, "storefront"));
  await sshd?.stop();
  repo?.cleanup();
  if (root) rmSync(root, { recursive: true, force: true });
  await client?.$disconnect();
});

/** Every page under app/(dashboard), by the name its screenshot gets. */
function dashboardPages(): { name: string; path: string }[] {
  return [
    { name: "overview", path: "/" },
    { name: "apps", path: "/apps" },
    { name: "app-new", path: "/apps/new" },
    { name: "app", path: `/apps/${ids.appId}` },
    { name: "deploy", path: `/apps/${ids.appId}/deploys/${ids.deployId}` },
    { name: "servers", path: "/servers" },
    { name: "server", path: `/servers/${ids.serverId}` },
    { name: "monitors", path: "/monitors" },
    { name: "monitor", path: `/monitors/${ids.monitorId}` },
    { name: "channels", path: "/monitors/channels" },
    { name: "alerts", path: "/alerts" },
    { name: "audit", path: "/audit" },
    { name: "api-docs", path: "/api-docs" },
    { name: "account", path: "/account" },
    { name: "settings", path: "/settings" },
    { name: "settings-alerts", path: "/settings/alerts" },
    { name: "incidents", path: "/incidents" },
    { name: "settings-status-pages", path: "/settings/status-pages" },
    { name: "settings-maintenance", path: "/settings/maintenance" },
  ];
}

/** Console messages that say the Content-Security-Policy refused something (the theme script without its nonce). */
function watchCsp(page: Page): string[] {
  const refused: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Content-Security-Policy/i.test(m.text())) refused.push(m.text());
  });
  return refused;
}

const signIn = (page: Page) => signInAs(page, admin);

async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

async function sweep(browser: Browser, width: number, theme: (typeof THEMES)[number], save = true) {
  // The system's preference picks the theme (no choice stored yet): "follows the system" is tested with it.
  const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: theme });
  const page = await context.newPage();
  const refused = watchCsp(page);
  await signIn(page);
  const overflowing: string[] = [];
  for (const { name, path: route } of dashboardPages()) {
    const res = await page.goto(route);
    expect(res?.status(), route).toBe(200);
    await expect(page.locator("h1").first()).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.classList.contains("dark")), `${route} in ${theme}`).toBe(theme === "dark");
    // Charts draw once their box is measured.
    await page.waitForTimeout(name === "monitor" || name === "overview" || name === "app" ? 600 : 150);
    const overflow = await horizontalOverflow(page);
    if (overflow > 0) overflowing.push(`${route}: ${overflow} px too wide`);
    if (save) await page.screenshot({ path: `${SCREENS}/${name}-${width}-${theme}.png`, fullPage: true });
  }
  // The page that is not there, in the same look.
  const missing = await page.goto("/no-such-page");
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "There is nothing here" })).toBeVisible();
  if ((await horizontalOverflow(page)) > 0) overflowing.push("/no-such-page");
  if (save) await page.screenshot({ path: `${SCREENS}/not-found-${width}-${theme}.png`, fullPage: true });
  expect(overflowing, `pages wider than ${width} px`).toEqual([]);
  expect(refused, "console messages about the CSP").toEqual([]);
  await context.close();
}

test.describe.serial("layout and theme", () => {
  for (const width of WIDTHS) {
    for (const theme of THEMES) {
      test(`every dashboard page at ${width} px in ${theme}: no sideways scroll, screenshots`, async ({ browser }) => {
        test.setTimeout(180_000);
        await sweep(browser, width, theme);
      });
    }
  }

  test("every dashboard page at a tablet's 768 px and a small laptop's 1024 px: no sideways scroll", async ({ browser }) => {
    test.setTimeout(180_000);
    await sweep(browser, 768, "light", false);
    await sweep(browser, 1024, "dark", false);
  });

  test("the theme toggle is remembered across a reload and applied before the page's scripts run", async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: "light" });
    const page = await context.newPage();
    const refused = watchCsp(page);
    await signIn(page);
    const html = page.locator("html");
    await expect(html).not.toHaveClass(/\bdark\b/);
    const toggle = page.getByRole("group", { name: "Theme" });
    await expect(toggle.getByRole("button", { name: "System" })).toHaveAttribute("aria-pressed", "true");
    await toggle.getByRole("button", { name: "Dark" }).click();
    await expect(html).toHaveClass(/\bdark\b/);
    await page.reload();
    await expect(html).toHaveClass(/\bdark\b/);
    await expect(page.getByRole("group", { name: "Theme" }).getByRole("button", { name: "Dark" })).toHaveAttribute("aria-pressed", "true");

    // With the page's own scripts refused, only the inline theme script can have set the class: no flash of light.
    await page.route("**/_next/static/**/*.js", (route) => route.abort());
    await page.goto("/apps");
    await expect(page.getByRole("heading", { name: "Apps" })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(true);
    await page.unroute("**/_next/static/**/*.js");

    // Back to following the system (light here), also remembered.
    await page.goto("/");
    await page.getByRole("group", { name: "Theme" }).getByRole("button", { name: "System" }).click();
    await expect(html).not.toHaveClass(/\bdark\b/);
    await page.reload();
    await expect(html).not.toHaveClass(/\bdark\b/);
    await page.emulateMedia({ colorScheme: "dark" });
    await expect(html).toHaveClass(/\bdark\b/);
    expect(refused).toEqual([]);
    await context.close();
  });

  test("icons and the manifest are served to anyone; the sign-in page fits a phone in the dark", async ({ browser, request }) => {
    for (const [route, type] of [
      ["/favicon.ico", /image\/(x-icon|vnd\.microsoft\.icon)/],
      ["/icon.svg", /image\/svg\+xml/],
      ["/apple-touch-icon.png", /image\/png/],
      ["/icon-192.png", /image\/png/],
      ["/icon-512.png", /image\/png/],
    ] as const) {
      const res = await request.get(route);
      expect(res.status(), route).toBe(200);
      expect(res.headers()["content-type"], route).toMatch(type);
    }
    const manifest = await request.get("/manifest.webmanifest");
    expect(manifest.status()).toBe(200);
    const icons = ((await manifest.json()) as { icons: { src: string }[] }).icons.map((i) => i.src);
    for (const src of icons) expect((await request.get(src)).status(), src).toBe(200);

    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: "dark" });
    const page = await context.newPage();
    const refused = watchCsp(page);
    await page.goto("/login");
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
    await expect(page.locator('head link[rel="icon"]').first()).toBeAttached();
    await expect(page.locator('head link[rel="manifest"]')).toHaveAttribute("href", "/manifest.webmanifest");
    expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(true);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SCREENS}/login-390-dark.png`, fullPage: true });
    expect(refused).toEqual([]);
    await context.close();
  });

  test("on a phone the links are in a menu a keyboard opens and closes", async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await signIn(page);
    const menu = page.getByRole("button", { name: "Menu" });
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await expect(page.getByRole("navigation", { name: "Main menu" })).toHaveCount(0);
    await menu.focus();
    await page.keyboard.press("Enter");
    await expect(menu).toHaveAttribute("aria-expanded", "true");
    const links = page.getByRole("navigation", { name: "Main menu" });
    await expect(links.getByRole("link", { name: "Servers" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
    await page.screenshot({ path: `${SCREENS}/menu-390-light.png` });
    await page.keyboard.press("Escape");
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await expect(menu).toBeFocused();
    await page.keyboard.press("Space");
    await expect(menu).toHaveAttribute("aria-expanded", "true");
    await links.getByRole("link", { name: "Servers" }).click();
    await expect(page.getByRole("heading", { name: "Servers", level: 1 })).toBeVisible();
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await context.close();
  });
});
