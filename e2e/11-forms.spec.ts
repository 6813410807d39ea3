import { expect, test, type Page } from "@playwright/test";
import { hashPassword } from "../lib/auth/password";
import { totpCode } from "../lib/auth/totp";
import { createDbClient, type Db } from "../lib/db/client";
import { signInAs } from "./support/sign-in";

/**
 * Issue 13's forms: a submit with bad input shows each problem in plain words next to its field (aria-invalid,
 * aria-describedby), moves the focus to the first invalid field and keeps what was typed; the submit button
 * says it is working. Issue 13's titles: an app's page and a deploy's page name them in the tab title.
 */
const admin = { email: "forms-admin@example.test", password: "forms admin password 1" };
let client: Db;
let appId: string;
let deployId: string;

test.beforeAll(async () => {
  client = createDbClient(process.env.DECKHAND_E2E_DATABASE_URL!, 2);
  const passwordHash = await hashPassword(admin.password);
  await client.user.upsert({ where: { email: admin.email }, create: { email: admin.email, role: "admin", passwordHash }, update: { role: "admin", passwordHash, disabled: false } });
  const app = await client.app.upsert({ where: { name: "forms-checkout-api" }, create: { name: "forms-checkout-api", repoUrl: "/srv/checkout.git", deployPath: "/tmp/deckhand-e2e-forms" }, update: {} });
  appId = app.id;
  await client.deploy.deleteMany({ where: { appId } });
  await client.deploy.create({ data: { appId, kind: "deploy", status: "succeeded", ref: "main", actorLabel: admin.email, createdAt: new Date(Date.now() - 60_000) } });
  deployId = (await client.deploy.create({ data: { appId, kind: "deploy", status: "failed", ref: "main", actorLabel: admin.email } })).id;
});

test.afterAll(async () => {
  await client?.$disconnect();
});

const signIn = (page: Page) => signInAs(page, admin);

test("the server form shows every problem next to its field, focuses the first and keeps what was typed", async ({ page }) => {
  await signIn(page);
  await page.goto("/servers");
  const form = page.getByRole("form", { name: "Add a server" });
  const name = form.getByLabel("Name", { exact: true });
  const host = form.getByLabel("Host", { exact: true });
  const port = form.getByLabel("SSH port");
  const user = form.getByLabel("User", { exact: true });
  await name.fill("forms web 1");
  await host.fill("bad host!");
  await port.fill("70000");
  await user.fill("Root");
  await form.getByRole("button", { name: "Add server" }).click();

  // Each error sits under its own field, in words, and the field says it is invalid and which text explains it.
  const expected: [typeof host, string][] = [
    [host, "Must be a hostname or an IP address."],
    [port, "Must be at most 65535."],
    [user, "Must be a valid unix user name."],
  ];
  for (const [field, message] of expected) {
    await expect(field).toHaveAttribute("aria-invalid", "true");
    await expect(field).toHaveAccessibleDescription(new RegExp(`^${message.replace(/[.]/g, "\\.")}`));
    await expect(form.getByText(message)).toBeVisible();
  }
  await expect(name).not.toHaveAttribute("aria-invalid", "true");
  // The first invalid field in the form's order has the focus; nothing typed is lost.
  await expect(host).toBeFocused();
  await expect(name).toHaveValue("forms web 1");
  await expect(host).toHaveValue("bad host!");
  await expect(port).toHaveValue("70000");
  await expect(user).toHaveValue("Root");
  expect(await client.server.count({ where: { name: "forms web 1" } })).toBe(0);

  // At a phone's width in the dark theme, the errors read next to their fields.
  await page.emulateMedia({ colorScheme: "dark" });
  await page.setViewportSize({ width: 390, height: 1100 });
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  await form.scrollIntoViewIfNeeded();
  await form.screenshot({ path: "test-results/e2e/forms-server-errors-390-dark.png" });

  // Fixed, it is created; the errors go away and the form is emptied for the next one.
  await host.fill("10.0.0.99");
  await port.fill("22");
  await user.fill("deploy");
  await form.getByRole("button", { name: "Add server" }).click();
  await expect(page.getByTestId("server-public-key")).toContainText("ssh-ed25519 ");
  await expect(form.locator("[aria-invalid=true]")).toHaveCount(0);
  await expect(name).toHaveValue("");
  expect(await client.server.count({ where: { name: "forms web 1" } })).toBe(1);
  await client.server.deleteMany({ where: { name: "forms web 1" } });
});

test("the app form marks each invalid field the same way", async ({ page }) => {
  await signIn(page);
  await page.goto(`/apps/${appId}`);
  await page.locator("summary", { hasText: "Edit app" }).click();
  const form = page.getByRole("form", { name: "Edit app" });
  await form.getByLabel("Deploy path").fill("relative/path");
  await form.getByLabel("Releases to keep").fill("0");
  await form.getByRole("button", { name: "Save changes" }).click();
  await expect(form.getByLabel("Deploy path")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel("Releases to keep")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel("Deploy path")).toBeFocused();
  await expect(form.getByLabel("Deploy path")).toHaveValue("relative/path");
});

test("the alert channel form shows a bad name and a bad provider field at once, each next to its field", async ({ page }) => {
  await client.notificationChannel.deleteMany({ where: { name: "forms-pagerduty" } });
  await signIn(page);
  await page.goto("/settings/alerts");
  const form = page.getByTestId("channel-form");
  const name = form.getByLabel("Channel name");
  await form.getByLabel("Provider").selectOption({ label: "PagerDuty" });
  const key = form.getByLabel(/^Integration key/);
  const longName = "forms-".repeat(20);
  await name.fill(longName);
  await key.fill("too-short");
  await form.getByLabel(/^Default channel/).uncheck();
  await form.getByRole("button", { name: "Add channel" }).click();

  await expect(name).toHaveAttribute("aria-invalid", "true");
  await expect(name).toHaveAccessibleDescription("Must be at most 100 characters.");
  await expect(key).toHaveAttribute("aria-invalid", "true");
  await expect(key).toHaveAccessibleDescription(/^Must be the 32-character integration key/);
  // No "config.routingKey:" or "name:" left in the words, and nothing for the form as a whole.
  await expect(form).not.toContainText("config.");
  await expect(form.getByRole("alert")).toHaveCount(0);
  await expect(name).toBeFocused();
  await expect(name).toHaveValue(longName);
  await expect(key).toHaveValue("too-short");

  await name.fill("forms-pagerduty");
  await key.fill("0123456789abcdef0123456789abcdef");
  await form.getByRole("button", { name: "Add channel" }).click();
  await expect(page.locator('[data-testid="channel-row"][data-channel-name="forms-pagerduty"]')).toBeVisible();
  await expect(form.locator("[aria-invalid=true]")).toHaveCount(0);
  await expect(name).toHaveValue("");
  await client.notificationChannel.deleteMany({ where: { name: "forms-pagerduty" } });
});

test("the status page form shows a bad address, logo and group name at once, each next to its field", async ({ page }) => {
  await client.statusPage.deleteMany({ where: { slug: "forms-status" } });
  await signIn(page);
  await page.goto("/settings/status-pages");
  const form = page.getByTestId("status-page-form").first();
  const address = form.getByLabel("Address");
  const title = form.getByLabel("Title");
  const logo = form.getByLabel("Logo");
  const groupName = form.getByTestId("group-editor").first().getByLabel("Group name");
  await address.fill("Forms Status");
  await title.fill("Forms status");
  await logo.fill("https://elsewhere.example/logo.png");
  await groupName.fill("");
  await form.getByRole("button", { name: "Create page" }).click();

  await expect(address).toHaveAttribute("aria-invalid", "true");
  await expect(address).toHaveAccessibleDescription(/^Lowercase letters, digits and hyphens \(not at either end\)/);
  await expect(logo).toHaveAttribute("aria-invalid", "true");
  await expect(logo).toHaveAccessibleDescription(/^A path on this site \(\/logo\.png\) or a data:image/);
  await expect(groupName).toHaveAttribute("aria-invalid", "true");
  await expect(groupName).toHaveAccessibleDescription("This field is required.");
  await expect(title).not.toHaveAttribute("aria-invalid", "true");
  await expect(form).not.toContainText("slug:");
  await expect(address).toBeFocused();
  await expect(address).toHaveValue("Forms Status");
  await expect(title).toHaveValue("Forms status");
  await expect(logo).toHaveValue("https://elsewhere.example/logo.png");

  // At a phone's width, the errors read next to their fields.
  await page.setViewportSize({ width: 390, height: 1200 });
  await form.scrollIntoViewIfNeeded();
  await form.screenshot({ path: "test-results/e2e/forms-status-page-errors-390.png" });

  await address.fill("forms-status");
  await logo.fill("");
  await groupName.fill("Services");
  await form.getByRole("button", { name: "Create page" }).click();
  await expect(page.getByTestId("status-page-card").filter({ hasText: "Forms status" })).toBeVisible();
  await expect(form.locator("[aria-invalid=true]")).toHaveCount(0);
  expect(await client.statusPage.count({ where: { slug: "forms-status" } })).toBe(1);
  await client.statusPage.deleteMany({ where: { slug: "forms-status" } });
});

test("the deploy hook form marks a bad name and a bad ref at once and keeps them", async ({ page }) => {
  await client.deployHook.deleteMany({ where: { appId } });
  await signIn(page);
  await page.goto(`/apps/${appId}`);
  const form = page.getByRole("form", { name: "Add a deploy hook" });
  const name = form.getByLabel("Name", { exact: true });
  const ref = form.getByLabel("Ref to deploy");
  await name.fill("ci/nightly!");
  await ref.fill("-main");
  await form.getByRole("button", { name: "Add deploy hook" }).click();
  await expect(name).toHaveAccessibleDescription("May use letters, digits, space, . : _ -.");
  await expect(ref).toHaveAccessibleDescription(/^Must be a branch, tag or commit SHA/);
  await expect(name).toBeFocused();
  await expect(name).toHaveValue("ci/nightly!");
  await expect(ref).toHaveValue("-main");

  await name.fill("forms ci");
  await ref.fill("main");
  await form.getByRole("button", { name: "Add deploy hook" }).click();
  await expect(page.getByTestId("deploy-hook-url")).toBeVisible();
  await expect(form.locator("[aria-invalid=true]")).toHaveCount(0);

  // Removing it asks first in the app's own dialog; cancelling keeps it.
  const remove = page.getByRole("button", { name: "Remove deploy hook forms ci" });
  await remove.click();
  const ask = page.getByRole("dialog", { name: "Remove the deploy hook forms ci?" });
  await expect(ask).toContainText("Its URL stops working at once");
  await ask.getByRole("button", { name: "Cancel" }).click();
  await expect(ask).toHaveCount(0);
  expect(await client.deployHook.count({ where: { appId } })).toBe(1);
  await remove.click();
  await page.getByRole("dialog", { name: "Remove the deploy hook forms ci?" }).getByRole("button", { name: "Remove deploy hook" }).click();
  await expect(page.getByTestId("deploy-hook-forms ci")).toHaveCount(0);
  expect(await client.deployHook.count({ where: { appId } })).toBe(0);
});

test("saving an existing webhook asks before it rotates the secret, in the app's dialog", async ({ page }) => {
  await client.appWebhook.deleteMany({ where: { appId } });
  await signIn(page);
  await page.goto(`/apps/${appId}`);
  const form = page.getByRole("form", { name: "Push webhook" });
  await form.getByRole("textbox", { name: "Branch", exact: true }).fill("main");
  await form.getByRole("button", { name: "Create webhook" }).click();
  const first = await page.getByTestId("webhook-secret").textContent();
  expect(first).toBeTruthy();

  await form.getByRole("button", { name: "Save and rotate secret" }).click();
  const ask = page.getByRole("dialog", { name: "Rotate the webhook secret?" });
  await expect(ask).toContainText("The old secret stops working at once");
  await ask.getByRole("button", { name: "Cancel" }).click();
  await expect(ask).toHaveCount(0);
  await form.getByRole("button", { name: "Save and rotate secret" }).click();
  await page.getByRole("dialog", { name: "Rotate the webhook secret?" }).getByRole("button", { name: "Save and rotate" }).click();
  await expect(page.getByRole("dialog", { name: "Rotate the webhook secret?" })).toHaveCount(0);
  await expect.poll(async () => page.getByTestId("webhook-secret").textContent()).not.toBe(first);
  await client.appWebhook.deleteMany({ where: { appId } });
});

test("the two-factor code form says a wrong code beside the field, keeps it, and a right one turns it on", async ({ page }) => {
  const user = { email: "forms-2fa@example.test", password: "forms two factor password" };
  const passwordHash = await hashPassword(user.password);
  const reset = { passwordHash, role: "viewer" as const, disabled: false, totpSecretEncrypted: null, totpPendingSecretEncrypted: null, totpEnabledAt: null, totpLastStep: null };
  await client.user.upsert({ where: { email: user.email }, create: { email: user.email, ...reset }, update: reset });
  await signInAs(page, user);
  await page.goto("/account");
  await page.getByRole("button", { name: "Set up two-factor sign-in" }).click();
  const form = page.getByRole("form", { name: "Confirm two-factor set-up" });
  const secret = (await form.getByTestId("totp-secret").textContent())!.trim();
  const code = form.getByLabel("Code from the app");
  await code.fill("12345678");
  await form.getByRole("button", { name: "Turn on" }).click();
  await expect(code).toHaveAttribute("aria-invalid", "true");
  await expect(code).toHaveAccessibleDescription(/^That code is not right; type the 6 digits your app shows now\./);
  await expect(form.getByRole("alert")).toHaveCount(0);
  await expect(code).toBeFocused();
  await expect(code).toHaveValue("12345678");

  await code.fill(await totpCode(secret, Math.floor(Date.now() / 1000)));
  await form.getByRole("button", { name: "Turn on" }).click();
  await expect(page.getByTestId("recovery-codes")).toBeVisible();
  await client.user.update({ where: { email: user.email }, data: reset });
});

test("page titles name the app and the deploy", async ({ page }) => {
  await signIn(page);
  await page.goto(`/apps/${appId}`);
  await expect(page).toHaveTitle("forms-checkout-api · Deckhand");
  await page.goto(`/apps/${appId}/deploys/${deployId}`);
  await expect(page).toHaveTitle("Deploy #2 of forms-checkout-api · Deckhand");
  await page.goto("/servers");
  await expect(page).toHaveTitle("Servers · Deckhand");
  await page.goto(`/apps/${appId}/deploys/no-such-deploy`);
  await expect(page).toHaveTitle(/Deckhand/);
});
