import { expect, test, type Browser, type Page } from "@playwright/test";
import { hashPassword } from "../lib/auth/password";
import { createDbClient, type Db } from "../lib/db/client";
import { totpCode } from "../lib/auth/totp";
import { signInAs } from "./support/sign-in";

/**
 * Issue 13: the simple forms work before JavaScript has loaded. Each test here signs in from a browser
 * context where React never runs (JavaScript off, or the app's bundles never arriving), so every submit is
 * the browser's own form post to the server action and every answer a new page: field errors in plain words
 * next to their fields, the email typed kept, the session cookie set and the redirect followed. (The setup
 * form's case is in 01-foundation, before setup.)
 */
const user = { email: "nojs@example.test", password: "no javascript password" };
const leaver = { email: "nojs-signout@example.test", password: "signing out password" };
let client: Db;

test.beforeAll(async () => {
  client = createDbClient(process.env.DECKHAND_E2E_DATABASE_URL!, 2);
  for (const u of [user, leaver]) {
    const reset = { passwordHash: await hashPassword(u.password), role: "viewer" as const, disabled: false, totpSecretEncrypted: null, totpPendingSecretEncrypted: null, totpEnabledAt: null, totpLastStep: null };
    await client.user.upsert({ where: { email: u.email }, create: { email: u.email, ...reset }, update: reset });
  }
});

test.afterAll(async () => {
  await client?.user.deleteMany({ where: { email: { in: [user.email, leaver.email] } } });
  await client?.$disconnect();
});

/**
 * "off": JavaScript disabled in the browser. "not loaded": the app's script bundles never arrive (as on a slow
 * phone before they have), so React never hydrates and every submit is the browser's own; the page's inline
 * scripts still run, which reveal content streamed behind a loading skeleton (the dashboard's pages).
 */
async function withoutJavaScript(browser: Browser, mode: "off" | "not loaded" = "off"): Promise<Page> {
  // 1440 px: the top bar's links and Sign out are a row (below 1280 px they are behind a menu button, which needs JavaScript).
  const context = await browser.newContext({ javaScriptEnabled: mode !== "off", viewport: { width: 1440, height: 900 } });
  if (mode === "not loaded") await context.route(/\/_next\/static\/.*\.js(\?.*)?$/, (route) => route.abort());
  return context.newPage();
}

test("signing in works with JavaScript off: errors beside their fields, then the page asked for", async ({ browser }) => {
  const page = await withoutJavaScript(browser);
  await page.goto("/login?callbackUrl=%2Fservers");
  const email = page.getByLabel("Email");
  const password = page.getByLabel("Password");

  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(email).toHaveAttribute("aria-invalid", "true");
  await expect(email).toHaveAccessibleDescription("Enter your email address.");
  await expect(password).toHaveAccessibleDescription("Enter your password.");

  await email.fill("not-an-address");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(email).toHaveAccessibleDescription("Enter an email address, like name@example.com.");
  await expect(email).toHaveValue("not-an-address");

  await email.fill(user.email);
  await password.fill("not my password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Email or password is incorrect" })).toBeVisible();
  await expect(email).toHaveValue(user.email);
  await expect(password).toHaveValue("");

  await password.fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/servers$/);
  await expect(page.getByRole("heading", { name: "Servers", level: 1 })).toBeVisible();
  await expect(page.getByTestId("current-user")).toContainText(user.email);
  await page.context().close();
});

test("the two-factor step works before JavaScript has loaded: a wrong code beside the field, a recovery code signs in", async ({ page, browser }) => {
  // Two-factor sign-in turned on in a normal browser, as a person would.
  await signInAs(page, user);
  await page.goto("/account");
  await page.getByRole("button", { name: "Set up two-factor sign-in" }).click();
  const setup = page.getByRole("form", { name: "Confirm two-factor set-up" });
  const secret = (await setup.getByTestId("totp-secret").textContent())!.trim();
  await setup.getByLabel("Code from the app").fill(await totpCode(secret, Math.floor(Date.now() / 1000)));
  await setup.getByRole("button", { name: "Turn on" }).click();
  const recovery = (await page.getByTestId("recovery-codes").locator("li").first().textContent())!.trim();

  const nojs = await withoutJavaScript(browser, "not loaded");
  await nojs.goto("/login");
  await nojs.getByLabel("Email").fill(user.email);
  await nojs.getByLabel("Password").fill(user.password);
  await nojs.getByRole("button", { name: "Sign in" }).click();
  await expect(nojs.getByRole("heading", { name: "Two-factor sign-in" })).toBeVisible();
  await nojs.screenshot({ path: "test-results/e2e/screens/two-factor-nojs-1440-light.png", fullPage: true });
  // The theme is chosen by an inline script as the page loads: dark is asked for, then the page loaded again.
  await nojs.setViewportSize({ width: 390, height: 844 });
  await nojs.emulateMedia({ colorScheme: "dark" });
  await nojs.goto("/login");
  const code = nojs.getByLabel("Authentication code");
  await code.fill("000000");
  await nojs.getByRole("button", { name: "Verify" }).click();
  await expect(code).toHaveAttribute("aria-invalid", "true");
  await expect(code).toHaveAccessibleDescription(/^That code is not right\./);
  // The step with its error as a person sees it before JavaScript: 390 px dark (a test artifact).
  await nojs.screenshot({ path: "test-results/e2e/screens/two-factor-nojs-390-dark.png", fullPage: true });
  await nojs.setViewportSize({ width: 1440, height: 900 });
  await nojs.emulateMedia({ colorScheme: "light" });

  // "Sign in as someone else" on this step is a form too: it ends the half-signed-in session.
  const userId = (await client.user.findUniqueOrThrow({ where: { email: user.email } })).id;
  await nojs.getByRole("button", { name: "Sign in as someone else" }).click();
  await expect(nojs).toHaveURL(/\/login$/);
  await expect(nojs.getByRole("button", { name: "Sign in" })).toBeVisible();
  expect(await client.session.count({ where: { userId, endReason: "signout", secondFactorAt: null } })).toBe(1);

  await nojs.getByLabel("Email").fill(user.email);
  await nojs.getByLabel("Password").fill(user.password);
  await nojs.getByRole("button", { name: "Sign in" }).click();
  await code.fill(recovery);
  await nojs.getByRole("button", { name: "Verify" }).click();
  await expect(nojs.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(nojs.getByTestId("current-user")).toContainText(user.email);
  await nojs.context().close();
});

test("signing out works with JavaScript off, and with it on: the session ends, is audited, and the pages ask to sign in again", async ({ page, browser }) => {
  const leaverId = (await client.user.findUniqueOrThrow({ where: { email: leaver.email } })).id;
  const sessions = () => client.session.findMany({ where: { userId: leaverId }, orderBy: { createdAt: "asc" } });
  const signOuts = () => client.auditEvent.count({ where: { action: "auth.signout", actorId: leaverId } });

  const nojs = await withoutJavaScript(browser);
  await nojs.goto("/login");
  await nojs.getByLabel("Email").fill(leaver.email);
  await nojs.getByLabel("Password").fill(leaver.password);
  await nojs.getByRole("button", { name: "Sign in" }).click();
  await expect(nojs.getByTestId("current-user")).toContainText(leaver.email);
  await nojs.getByRole("button", { name: "Sign out" }).click();
  await expect(nojs).toHaveURL(/\/login$/);
  await expect(nojs.getByRole("button", { name: "Sign in" })).toBeVisible();
  expect(await sessions()).toEqual([expect.objectContaining({ endReason: "signout", endedAt: expect.any(Date) })]);
  expect(await signOuts()).toBe(1);
  const audited = await client.auditEvent.findFirstOrThrow({ where: { action: "auth.signout", actorId: leaverId } });
  expect(audited.ip).toBe("127.0.0.1");
  expect((await nojs.context().cookies()).map((c) => c.name)).not.toContain("next-auth.session-token");
  await nojs.goto("/servers");
  await expect(nojs).toHaveURL(/\/login\?callbackUrl=%2Fservers$/);
  await nojs.context().close();

  // With JavaScript: the same form, posted by React; the browser lands on the sign-in page.
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInAs(page, leaver);
  // Posted by React (a server action request), not by the browser before hydration.
  const posted = page.waitForRequest((r) => r.method() === "POST" && Boolean(r.headers()["next-action"]));
  await page.getByRole("button", { name: "Sign out" }).click();
  await posted;
  await expect(page).toHaveURL(/\/login$/);
  expect((await page.context().cookies()).map((c) => c.name)).not.toContain("next-auth.session-token");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  expect((await sessions()).map((s) => s.endReason)).toEqual(["signout", "signout"]);
  expect(await signOuts()).toBe(2);
  await page.goto("/monitors");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fmonitors$/);
});
