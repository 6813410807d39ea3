import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "@playwright/test";
import { generate } from "otplib";
import { db } from "../../lib/db/client";
import { hashPassword } from "../../lib/auth/password";
import { AuthClient, browserContext, launchChromium, OwnApp } from "../helpers/auth-client";

/**
 * Two-factor sign-in in Chromium against an app of its own (the "required" setting is app-wide): enrolment with
 * the QR code, sign-in typing a code computed with otplib, replay refused, recovery codes once, an admin's
 * reset, and a required enrolment before anything else. Every step's audit event is checked.
 */
const app = new OwnApp({});
const password = "correct horse battery";
let browser: Browser;
const users: Record<"admin" | "alice" | "bob", { id: string; email: string }> = {} as never;

beforeAll(async () => {
  await app.start();
  browser = await launchChromium();
  for (const [name, role] of [
    ["admin", "admin"],
    ["alice", "deployer"],
    ["bob", "viewer"],
  ] as const) {
    users[name] = await db().user.create({ data: { email: `${name}@example.test`, role, passwordHash: await hashPassword(password) }, select: { id: true, email: true } });
  }
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await app.stop();
});

const now = () => Math.floor(Date.now() / 1000);

async function fresh(viewport?: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browserContext(browser, app.url, undefined, viewport);
  return { context, page: await context.newPage() };
}

async function passwordStep(page: Page, email: string, path = "/login") {
  await page.goto(path);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** The code field's error, beside it (the form shows every problem of the code there). */
const codeError = (page: Page) => page.getByRole("form", { name: "Two-factor code" }).locator("[data-field-error]").textContent();

async function typeCode(page: Page, code: string) {
  await page.getByLabel("Authentication code").fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
}

/** The enrolment panel (on /account, or on /login when required): scan, confirm, read the recovery codes. */
async function enrol(page: Page, shot?: string): Promise<{ secret: string; code: string; recovery: string[] }> {
  await page.getByRole("button", { name: "Set up two-factor sign-in" }).click();
  await page.getByRole("img", { name: "QR code of the two-factor secret" }).locator("svg").waitFor();
  const secret = (await page.getByTestId("totp-secret").textContent())!.trim();
  if (shot) await page.screenshot({ path: `test-results/security/${shot}.png`, fullPage: true });
  const code = await generate({ secret });
  await page.getByLabel("Code from the app").fill(code);
  await page.getByRole("button", { name: "Turn on" }).click();
  const list = page.getByTestId("recovery-codes");
  await list.waitFor();
  const recovery = (await list.locator("li").allTextContents()).map((c) => c.trim());
  return { secret, code, recovery };
}

async function events(action: string, userId: string) {
  const rows = await db().auditEvent.findMany({ where: { action, OR: [{ actorId: userId }, { targetId: userId }] }, orderBy: { id: "asc" } });
  return rows.map((e): Record<string, unknown> => ({ outcome: e.outcome, ...(e.summary as Record<string, unknown>) }));
}

let alice: { secret: string; code: string; recovery: string[] };

describe("two-factor sign-in", () => {
  it("enrols on /account with a QR code and a confirmed code; the ten recovery codes are shown once", async () => {
    const { context, page } = await fresh();
    await passwordStep(page, users.alice.email);
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    await page.goto("/account");
    alice = await enrol(page, "account-enrol-1440");
    expect(alice.recovery).toHaveLength(10);
    expect(new Set(alice.recovery).size).toBe(10);
    await page.screenshot({ path: "test-results/security/account-recovery-codes-1440.png", fullPage: true });
    await page.getByRole("button", { name: "Done" }).click();
    await expect.poll(() => page.getByTestId("two-factor-status").textContent()).toMatch(/On since .*10 of 10 recovery codes left/);
    // The session that enrolled stays in; the secret is stored encrypted, the codes as HMACs.
    await page.goto("/apps");
    await page.getByRole("heading", { name: "Apps" }).waitFor();
    const stored = await db().user.findUniqueOrThrow({ where: { id: users.alice.id }, select: { totpSecretEncrypted: true } });
    expect(stored.totpSecretEncrypted).toMatch(/^v1\./);
    expect(stored.totpSecretEncrypted).not.toContain(alice.secret);
    expect(await events("two_factor.enrol", users.alice.id)).toEqual([{ outcome: "success", method: "totp", recoveryCodesIssued: 10, otherSessionsEnded: 0 }]);
    await context.close();
  });

  it("the password alone gives a session that can do nothing: 401 on the API, pages send it to the code step", async () => {
    const client = new AuthClient(app.url);
    expect((await client.signIn(users.alice.email, password)).ok).toBe(true);
    expect((await client.fetch("/api/v1/apps")).status).toBe(401);
    // To the code step, which sends the browser on to the page it asked for once the code is right.
    expect((await client.fetch("/apps")).headers.get("location")).toMatch(/\/login\?callbackUrl=%2Fapps$/);
    expect(await (await client.fetch("/login")).text()).toContain("Authentication code");
  });

  it("signs in typing a computed code; the enrolment's code again is refused as replayed; a recovery code works once", async () => {
    const { context, page } = await fresh();
    await passwordStep(page, users.alice.email, "/login?callbackUrl=%2Fservers");
    await page.getByLabel("Authentication code").waitFor();
    await page.screenshot({ path: "test-results/security/login-code-1440.png", fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: "test-results/security/login-code-390.png", fullPage: true });
    await page.setViewportSize({ width: 1440, height: 900 });

    await typeCode(page, alice.code);
    await expect.poll(() => codeError(page)).toMatch(/was just used|not right/);
    // A code is good for one step either side: the next step's code is new and accepted now, without waiting.
    await typeCode(page, await generate({ secret: alice.secret, epoch: now() + 30 }));
    await page.waitForURL(/\/servers$/);
    await page.getByRole("heading", { name: "Servers" }).waitFor();
    await context.close();

    const second = await fresh({ width: 390, height: 844 });
    await passwordStep(second.page, users.alice.email);
    await typeCode(second.page, alice.recovery[0]!);
    await second.page.getByRole("heading", { name: "Overview" }).waitFor();
    await second.context.close();

    const third = await fresh();
    await passwordStep(third.page, users.alice.email);
    await typeCode(third.page, alice.recovery[0]!);
    await expect.poll(() => codeError(third.page)).toBe("That code is not right.");
    await third.context.close();

    const steps = await events("auth.second_factor", users.alice.id);
    expect(steps.filter((s) => s.outcome === "failure").map((s) => s.reason)).toEqual([expect.stringMatching(/^(replayed_code|wrong_code)$/), "wrong_code"]);
    expect(steps.filter((s) => s.outcome === "success")).toEqual([
      { outcome: "success", method: "totp", recoveryCodesLeft: 10 },
      { outcome: "success", method: "recovery_code", recoveryCodesLeft: 9 },
    ]);
    expect(await db().recoveryCode.count({ where: { userId: users.alice.id, usedAt: null } })).toBe(9);
  });

  it("an admin resets a user's second factor from the users table: audited, their sessions end, the password alone signs in", async () => {
    const signedIn = new AuthClient(app.url);
    await signedIn.signIn(users.alice.email, password);
    const { context, page } = await fresh();
    await passwordStep(page, users.admin.email);
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    await page.goto("/settings");
    const row = page.getByRole("row").filter({ hasText: users.alice.email });
    await row.getByRole("button", { name: `Reset two-factor sign-in of ${users.alice.email}` }).click();
    await page
      .getByRole("dialog", { name: `Reset two-factor sign-in of ${users.alice.email}?` })
      .getByRole("button", { name: "Reset 2FA" })
      .click();
    await row.getByText("Two-factor sign-in reset; their sessions were ended.").waitFor();
    await context.close();
    expect(await db().session.count({ where: { userId: users.alice.id, endedAt: null } })).toBe(0);
    expect(await events("two_factor.reset", users.alice.id)).toEqual([{ outcome: "success", wasOn: true, sessionsEnded: expect.any(Number) }]);
    const again = new AuthClient(app.url);
    expect((await again.signIn(users.alice.email, password)).ok).toBe(true);
    expect((await again.fetch("/api/v1/apps")).status).toBe(200);
  });

  it("required for everyone by an admin: a user without it sets it up before anything else, then goes on", async () => {
    const admin = await fresh();
    await passwordStep(admin.page, users.admin.email);
    await admin.page.getByRole("heading", { name: "Overview" }).waitFor();
    await admin.page.goto("/account");
    await enrol(admin.page);
    await admin.page.getByRole("button", { name: "Done" }).click();
    await admin.page.goto("/settings");
    await admin.page.getByRole("form", { name: "Two-factor sign-in policy" }).getByRole("combobox").selectOption("everyone");
    await admin.page.getByRole("button", { name: "Save" }).click();
    await admin.page.getByText(/^Saved\./).waitFor();
    // The admin's own session passed its second factor: it carries on.
    await admin.page.goto("/servers");
    await admin.page.getByRole("heading", { name: "Servers" }).waitFor();
    await admin.context.close();
    expect(await events("settings.two_factor", users.admin.id)).toEqual([{ outcome: "success", before: "off", after: "everyone" }]);

    const client = new AuthClient(app.url);
    expect((await client.signIn(users.bob.email, password)).ok).toBe(true);
    expect((await client.fetch("/api/v1/apps")).status).toBe(401);
    // To the code step, which sends the browser on to the page it asked for once the code is right.
    expect((await client.fetch("/apps")).headers.get("location")).toMatch(/\/login\?callbackUrl=%2Fapps$/);

    const { context, page } = await fresh();
    await passwordStep(page, users.bob.email, "/login?callbackUrl=%2Fmonitors");
    await page.getByRole("heading", { name: "Set up two-factor sign-in" }).waitFor();
    await page.goto("/apps");
    await page.getByRole("heading", { name: "Set up two-factor sign-in" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/login");
    await page.goto("/login?callbackUrl=%2Fmonitors");
    const bob = await enrol(page, "login-enrol-1440");
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: "test-results/security/login-enrol-codes-390.png", fullPage: true });
    await page.getByRole("button", { name: "Continue to Deckhand" }).click();
    await page.waitForURL(/\/monitors$/);
    expect(bob.recovery).toHaveLength(10);
    await context.close();
    expect(await events("two_factor.enrol", users.bob.id)).toEqual([{ outcome: "success", method: "totp", recoveryCodesIssued: 10, otherSessionsEnded: 1 }]);
  });
});
