import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "@playwright/test";
import { baseUrl, fakeIp, signIn } from "../helpers/http";
import { appDb, makeUser } from "../helpers/app-db";
import { AuthClient, browserContext, launchChromium } from "../helpers/auth-client";

/** Sign-in throttling is atomic: parallel guesses over HTTP against the real app. */
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await appDb().$disconnect();
});

async function signInEvents(email: string) {
  const events = await appDb().auditEvent.findMany({ where: { action: "auth.signin", targetName: email }, orderBy: { id: "asc" } });
  return events.map((e): Record<string, unknown> => ({ outcome: e.outcome, ...(e.summary as Record<string, unknown>) }));
}

describe("sign-in throttling", () => {
  it("50 parallel wrong passwords for one account: at most the limit is checked, one rate-limited event with the count; the right password works after the delay", async () => {
    const user = await makeUser("viewer");
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => signIn(user.email, `wrong guess ${i}`, fakeIp())));
    expect(results.every((r) => !r.ok)).toBe(true);
    const messages = results.map((r) => r.error);
    expect(messages.filter((m) => m === "Email or password is incorrect")).toHaveLength(5);
    expect(messages.filter((m) => m === "Too many failed sign-in attempts. Try again in 1 minute.")).toHaveLength(45);

    // Each checked password is one audit event; the 45 refused ones are one event between them.
    let events = await signInEvents(user.email);
    expect(events.filter((e) => e.reason === "wrong_password")).toHaveLength(5);
    expect(events.filter((e) => e.reason === "rate_limited")).toEqual([{ outcome: "failure", reason: "rate_limited", scope: "account", minutes: 1 }]);
    expect(events).toHaveLength(6);

    const lock = await appDb().loginThrottle.findUniqueOrThrow({ where: { key: `acct:${user.email}` } });
    expect((lock.lockedUntil!.getTime() - Date.now()) / 60_000).toBeGreaterThan(0.8);
    expect((lock.lockedUntil!.getTime() - Date.now()) / 60_000).toBeLessThanOrEqual(1);

    // Locked: even the right password, from anywhere, is refused (and not audited again).
    expect((await signIn(user.email, user.password, fakeIp())).error).toMatch(/Too many failed sign-in attempts/);
    expect(await signInEvents(user.email)).toHaveLength(6);

    // The minute passes (moved back rather than waited for): the right password from another address works,
    // and its event carries how many attempts were refused while the account was locked.
    await appDb().loginThrottle.update({ where: { key: `acct:${user.email}` }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    expect((await signIn(user.email, user.password, fakeIp())).ok).toBe(true);
    events = await signInEvents(user.email);
    expect(events.at(-1)).toEqual({ outcome: "success", refusedWhileLocked: 46 });
    expect(await appDb().loginThrottle.findUnique({ where: { key: `acct:${user.email}` } })).toBeNull();
  });

  it("after the lock, each further failure locks for twice as long", async () => {
    const user = await makeUser("viewer");
    for (let i = 0; i < 5; i++) await signIn(user.email, `wrong ${i}`, fakeIp());
    await appDb().loginThrottle.update({ where: { key: `acct:${user.email}` }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    expect((await signIn(user.email, "wrong again", fakeIp())).error).toBe("Email or password is incorrect");
    expect((await signIn(user.email, user.password, fakeIp())).error).toBe("Too many failed sign-in attempts. Try again in 2 minutes.");
  });

  it("an admin unlocks a locked account from the users table, and that is audited", async () => {
    const admin = await makeUser("admin");
    const user = await makeUser("deployer");
    for (let i = 0; i < 5; i++) await signIn(user.email, `wrong ${i}`, fakeIp());
    expect((await signIn(user.email, user.password, fakeIp())).error).toMatch(/Too many/);

    const context = await browserContext(browser, baseUrl(), fakeIp());
    const page = await context.newPage();
    await page.goto("/login");
    await page.getByLabel("Email").fill(admin.email);
    await page.getByLabel("Password").fill(admin.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    await page.goto("/settings");
    const row = page.getByRole("row").filter({ hasText: user.email });
    await row.getByTestId("locked-until").waitFor();
    await page.screenshot({ path: "test-results/security/settings-1440.png", fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: "test-results/security/settings-390.png", fullPage: true });
    await page.setViewportSize({ width: 1440, height: 900 });
    await row.getByRole("button", { name: `Unlock sign-in of ${user.email}` }).click();
    await row.getByText("Unlocked: they can sign in again now.").waitFor();
    await context.close();

    expect((await new AuthClient().signIn(user.email, user.password)).ok).toBe(true);
    const event = await appDb().auditEvent.findFirst({ where: { action: "user.unlock", targetId: user.id } });
    expect(event).toMatchObject({ outcome: "success", actorId: admin.id, summary: { hadFailures: true } });
  });
});
