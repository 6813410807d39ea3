import { expect, test, type Page } from "@playwright/test";
import { hashPassword } from "../lib/auth/password";
import { createDbClient, type Db } from "../lib/db/client";
import { discordRules, ntfyRules, pagerDutyRules, slackRules, teamsRules, telegramRules } from "../lib/alerts/testing/rules";
import { startReceiver, type ReceivedRequest } from "../lib/alerts/testing/samples";
import { parseMail, startSmtpServer } from "../lib/alerts/testing/smtp";
import { signInAs } from "./support/sign-in";

/**
 * Settings → Alerts in the browser: an admin adds a channel of every provider type through the form, each
 * pointed at a real receiver on loopback, presses "Send test alert", and the worker's delivery reaches the
 * receiver in a form the provider accepts. The page is photographed at 390 px and 1440 px.
 */
// Its own admin, so the spec runs alone as well as after 01-foundation's setup.
const admin = { email: "alerts-admin@example.test", password: "correct horse battery staple" };
let client: Db;
const BOT = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0";
const ROUTING_KEY = "R0UT1NGKEY0123456789abcdefABCDEF";

type Receiver = Awaited<ReturnType<typeof startReceiver>>;
const receivers: Record<string, Receiver> = {};
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

test.beforeAll(async () => {
  client = createDbClient(process.env.DECKHAND_E2E_DATABASE_URL!, 2);
  const passwordHash = await hashPassword(admin.password);
  await client.user.upsert({ where: { email: admin.email }, create: { email: admin.email, role: "admin", passwordHash }, update: { role: "admin", passwordHash } });
  const rules: [string, (req: ReceivedRequest) => string[], { status: number; body?: string }][] = [
    ["webhook", () => [], { status: 200 }],
    ["slack", slackRules, { status: 200 }],
    ["discord", discordRules, { status: 204 }],
    ["teams", teamsRules, { status: 202 }],
    ["telegram", telegramRules(BOT), { status: 200, body: JSON.stringify({ ok: true, result: { message_id: 1 } }) }],
    ["ntfy", ntfyRules(null), { status: 200, body: JSON.stringify({ id: "x", event: "message" }) }],
    ["pagerduty", pagerDutyRules(ROUTING_KEY), { status: 202, body: JSON.stringify({ status: "success" }) }],
  ];
  for (const [name, check, success] of rules) receivers[name] = await startReceiver(check, success);
  smtp = await startSmtpServer({ username: "alerts", password: "smtp-password" });
});

test.afterAll(async () => {
  for (const r of Object.values(receivers)) await r.close();
  await smtp?.close();
  await client?.$disconnect();
});

const signIn = (page: Page) => signInAs(page, admin);

/** What the form is filled with, by field label, for each provider. */
function fields(): Record<string, { provider: string; values: Record<string, string>; uncheck?: string[] }> {
  return {
    webhook: { provider: "Webhook (signed JSON)", values: { "Webhook URL": `${receivers.webhook!.url}/hook` } },
    slack: { provider: "Slack", values: { "Webhook URL": `${receivers.slack!.url}/services/T0/B0/x` } },
    discord: { provider: "Discord", values: { "Webhook URL": `${receivers.discord!.url}/api/webhooks/1/x`, "Bot name": "Deckhand e2e" } },
    teams: { provider: "Microsoft Teams", values: { "Webhook URL": `${receivers.teams!.url}/workflows/x` } },
    telegram: { provider: "Telegram", values: { "Bot token": BOT, "Chat id": "@deckhand_ops", "API base URL": receivers.telegram!.url } },
    ntfy: { provider: "ntfy", values: { "Server URL": receivers.ntfy!.url, Topic: "deckhand-e2e" } },
    pagerduty: { provider: "PagerDuty", values: { "Integration key": ROUTING_KEY, "Events API base URL": receivers.pagerduty!.url } },
    email: {
      provider: "E-mail (SMTP)",
      values: { "SMTP host": "127.0.0.1", Port: String(smtp.port), Username: "alerts", Password: "smtp-password", From: "Deckhand <alerts@example.test>", To: "ops@example.test" },
      uncheck: ["Require STARTTLS otherwise"],
    },
  };
}

test.describe.serial("alert channels", () => {
  test("an admin adds a channel of every provider type and sends each a test alert", async ({ page }) => {
    test.setTimeout(240_000);
    await signIn(page);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Alerts" }).click();
    await expect(page).toHaveURL(/\/settings\/alerts$/);
    await expect(page.getByRole("heading", { name: "Alerts", level: 1 })).toBeVisible();
    const form = page.getByTestId("channel-form");

    // A mistake is told next to its field, in plain words.
    await form.getByLabel("Channel name").fill("e2e-bad-pagerduty");
    await form.getByLabel("Provider").selectOption({ label: "PagerDuty" });
    await form.getByLabel("Integration key").fill("too-short");
    await form.getByRole("button", { name: "Add channel" }).click();
    await expect(form.getByText("must be the 32-character integration key of an Events API v2 integration")).toBeVisible();
    await expect(form.getByLabel("Integration key")).toHaveAttribute("aria-invalid", "true");

    for (const [type, spec] of Object.entries(fields())) {
      const name = `e2e-${type}`;
      await form.getByLabel("Channel name").fill(name);
      await form.getByLabel("Provider").selectOption({ label: spec.provider });
      await expect(form.getByTestId("config-fields")).toHaveAttribute("data-type", type);
      for (const [label, value] of Object.entries(spec.values)) await form.getByLabel(new RegExp(`^${label}( \\*)?$`)).fill(value);
      for (const label of spec.uncheck ?? []) await form.getByLabel(label).uncheck();
      await form.getByLabel(/^Default channel/).uncheck();
      await form.getByRole("button", { name: "Add channel" }).click();
      const row = page.locator(`[data-testid="channel-row"][data-channel-name="${name}"]`);
      await expect(row, type).toBeVisible();
      if (type === "webhook") await expect(page.getByTestId("signing-secret")).toContainText("shown only now");
      await row.getByRole("button", { name: "Send test alert" }).click();
      await expect(row.getByRole("button", { name: "Test alert queued" })).toBeVisible();
    }

    for (const [type, r] of Object.entries(receivers)) {
      await expect.poll(() => r.received.length, { message: `${type} receives its test alert`, timeout: 30_000 }).toBeGreaterThan(0);
      expect(r.received[0]!.problems, type).toEqual([]);
    }
    expect(String(receivers.webhook!.received[0]!.headers["x-deckhand-signature"])).toMatch(/^v1=[0-9a-f]{64}$/);
    await expect.poll(() => smtp.mails.length, { timeout: 30_000 }).toBeGreaterThan(0);
    const mail = parseMail(smtp.mails[0]!.raw);
    expect(mail.subject).toBe("[Deckhand] Deckhand test notification");
    expect(mail.text).toMatch(/Open alert channels: http:\/\/127\.0\.0\.1:\d+\/settings\/alerts/);

    // Secrets never reach the page.
    const html = await page.content();
    for (const secret of [BOT, ROUTING_KEY, "smtp-password", "/services/T0/B0/x"]) expect(html).not.toContain(secret);
  });

  test("the page at 1440 px and 390 px", async ({ page }) => {
    await signIn(page);
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto("/settings/alerts");
      await expect(page.getByTestId("channels")).toBeVisible();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `horizontal overflow at ${width} px`).toBeLessThanOrEqual(0);
      // The header's last control stays on the screen, clear of its edge (on a phone it is in the menu).
      if (width < 1280) await page.getByRole("button", { name: "Menu" }).click();
      const signOut = await page.getByRole("button", { name: "Sign out" }).boundingBox();
      expect(signOut!.x + signOut!.width, `Sign out at ${width} px`).toBeLessThanOrEqual(width - 8);
      await page.screenshot({ path: `test-results/e2e/alerts-${width}.png`, fullPage: true });
    }
  });
});
