import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "@playwright/test";
import { api, baseUrl, fakeIp } from "../helpers/http";
import { appDb, makeUser } from "../helpers/app-db";
import { AuthClient, browserContext, expectSignedIn, launchChromium } from "../helpers/auth-client";
import { setDisabled, setPassword, setRole } from "../../lib/auth/users";
import { createApiToken } from "../../lib/auth/tokens";

/** Server-side sessions against the real app: sign-out, replay, limits, ending one or all, over HTTP and in Chromium. */
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await appDb().$disconnect();
});

/** 401 from the API, and a page redirects to sign-in. */
async function expectSignedOut(client: AuthClient, cookie?: string) {
  const r = await expectSignedIn(client, cookie);
  expect(r.api).toBe(401);
  expect([302, 303, 307, 308]).toContain(r.page);
  expect(r.location).toMatch(/\/login$/);
}

async function signInInBrowser(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Overview" }).waitFor();
}

describe("sign-out ends the session on the server", () => {
  it("the cookie from before sign-out, replayed, gets 401 on the API and a redirect to /login for a page", async () => {
    const user = await makeUser("deployer");
    const client = new AuthClient();
    expect((await client.signIn(user.email, user.password)).ok).toBe(true);
    const stolen = client.cookie;
    expect(await expectSignedIn(client, stolen)).toMatchObject({ api: 200, page: 200 });

    const out = await client.signOut();
    expect(out.status).toBe(200);
    expect(client.sessionCookie()).toBeNull();
    // The JWT itself is still well-formed and signed: only the server-side record makes it dead.
    await expectSignedOut(client, stolen);

    const rows = await appDb().session.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ endReason: "signout", ip: client.ip });
    const event = await appDb().auditEvent.findFirst({ where: { action: "auth.signout", actorId: user.id } });
    expect(event?.summary).toEqual({ sessionEnded: true });
  });

  it("a session past its idle limit or its lifetime is refused, and ended with that reason", async () => {
    const user = await makeUser("viewer");
    const idle = new AuthClient();
    const old = new AuthClient();
    for (const c of [idle, old]) expect((await c.signIn(user.email, user.password)).ok).toBe(true);
    const [idleRow, oldRow] = await Promise.all([idle, old].map((c) => appDb().session.findFirstOrThrow({ where: { userId: user.id, ip: c.ip } })));
    // The app runs with the defaults: 720 minutes idle, 168 hours in all. Move the records back in time past each.
    await appDb().session.update({ where: { id: idleRow!.id }, data: { lastSeenAt: new Date(Date.now() - 721 * 60_000) } });
    await appDb().session.update({ where: { id: oldRow!.id }, data: { createdAt: new Date(Date.now() - 169 * 3_600_000) } });
    await expectSignedOut(idle);
    await expectSignedOut(old);
    expect((await appDb().session.findUniqueOrThrow({ where: { id: idleRow!.id } })).endReason).toBe("idle");
    expect((await appDb().session.findUniqueOrThrow({ where: { id: oldRow!.id } })).endReason).toBe("lifetime");
  });

  for (const [change, apply, reason] of [
    ["password change", (id: string) => setPassword(appDb(), id, "a brand new password"), "password_change"],
    ["role change", (id: string) => setRole(appDb(), id, "viewer"), "role_change"],
    ["disable", (id: string) => setDisabled(appDb(), id, true), "disabled"],
  ] as const) {
    it(`an admin's ${change} ends the user's session records too`, async () => {
      const user = await makeUser("deployer");
      const client = new AuthClient();
      await client.signIn(user.email, user.password);
      await apply(user.id);
      await expectSignedOut(client);
      expect((await appDb().session.findFirstOrThrow({ where: { userId: user.id } })).endReason).toBe(reason);
    });
  }
});

describe("the own-account page (Chromium)", () => {
  it("lists the user's sessions; ending one ends that cookie; 'Sign out everywhere' ends every one", async () => {
    const user = await makeUser("viewer");
    const other = new AuthClient();
    expect((await other.signIn(user.email, user.password)).ok).toBe(true);
    const context = await browserContext(browser, baseUrl(), fakeIp());
    const page = await context.newPage();
    await signInInBrowser(page, user.email, user.password);
    await page.getByTestId("current-user").click();
    await page.getByRole("heading", { name: "Your account" }).waitFor();
    const table = page.getByTestId("own-sessions");
    expect(await table.locator("tbody tr").count()).toBe(2);
    await expect.poll(() => table.getByText("This browser").count()).toBe(1);
    expect(await table.getByText(other.ip).count()).toBe(1);
    await page.screenshot({ path: "test-results/security/account-1440.png", fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: "test-results/security/account-390.png", fullPage: true });
    await page.setViewportSize({ width: 1440, height: 900 });

    await page.getByRole("button", { name: new RegExp(`^End the session of .* from ${other.ip.replaceAll(".", "\\.")}$`) }).click();
    await expect.poll(async () => (await expectSignedIn(other)).api).toBe(401);
    await expect.poll(() => table.locator("tbody tr").count()).toBe(1);

    const third = new AuthClient();
    expect((await third.signIn(user.email, user.password)).ok).toBe(true);
    await page.reload();
    await page.getByRole("button", { name: "Sign out everywhere" }).click();
    // Asked first, in a dialog: its own button ends every session.
    await page.getByRole("dialog", { name: "Sign out everywhere?" }).getByRole("button", { name: "Sign out everywhere" }).click();
    await page.waitForURL(/\/login/);
    await expectSignedOut(third);
    await page.goto("/apps");
    await expect.poll(() => page.url()).toMatch(/\/login/);
    const ended = await appDb().session.findMany({ where: { userId: user.id }, select: { endReason: true } });
    expect(ended.map((s) => s.endReason).sort()).toEqual(["ended_all", "ended_all", "ended_by_user"]);
    expect(await appDb().auditEvent.count({ where: { action: { in: ["session.end", "session.end_all"] }, actorId: user.id, outcome: "success" } })).toBe(2);
    await context.close();
  });

  it("a non-admin sees the API tokens they created (no one else's) and revokes one after confirming", async () => {
    const user = await makeUser("deployer");
    const someoneElse = await makeUser("admin");
    const mine = await createApiToken(appDb(), { name: "ci-mine", role: "deployer", createdById: user.id });
    await createApiToken(appDb(), { name: "ci-kept", role: "viewer", createdById: user.id });
    await createApiToken(appDb(), { name: "ci-someone-else", role: "admin", createdById: someoneElse.id });
    expect((await api("/api/v1/apps", mine.token)).status).toBe(200);

    const context = await browserContext(browser, baseUrl(), fakeIp());
    const page = await context.newPage();
    await signInInBrowser(page, user.email, user.password);
    await page.goto("/account");
    const table = page.getByTestId("own-tokens");
    await expect.poll(() => table.locator("tbody tr").count()).toBe(2);
    expect(await table.getByText("ci-someone-else").count()).toBe(0);

    // Cancel first: nothing happens.
    await table.getByRole("button", { name: "Revoke the token ci-mine" }).click();
    const dialog = page.getByRole("dialog", { name: "Revoke the token “ci-mine”?" });
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });
    expect((await api("/api/v1/apps", mine.token)).status).toBe(200);

    await table.getByRole("button", { name: "Revoke the token ci-mine" }).click();
    await dialog.getByRole("button", { name: "Revoke token" }).click();
    await dialog.waitFor({ state: "hidden" });
    await expect.poll(() => table.locator("tr", { hasText: "ci-mine" }).getByText("revoked").count()).toBe(1);
    expect((await api("/api/v1/apps", mine.token)).status).toBe(401);
    expect(await table.getByRole("button", { name: "Revoke the token ci-kept" }).count()).toBe(1);
    const event = await appDb().auditEvent.findFirst({ where: { action: "token.revoke", actorId: user.id, targetId: mine.id } });
    expect(event).toMatchObject({ outcome: "success", targetName: "ci-mine", summary: { own: true } });
    await context.close();
  });

  it("changing one's own password asks for the current one, ends the other sessions and keeps this one", async () => {
    const user = await makeUser("deployer");
    const other = new AuthClient();
    await other.signIn(user.email, user.password);
    const context = await browserContext(browser, baseUrl(), fakeIp());
    const page = await context.newPage();
    await signInInBrowser(page, user.email, user.password);
    await page.goto("/account");
    const form = page.getByRole("form", { name: "Change your password" });
    await form.getByLabel("Current password").fill("not my password at all");
    await form.getByLabel("New password", { exact: true }).fill("a new long password");
    await form.getByLabel("Confirm new password").fill("a new long password");
    await form.getByRole("button", { name: "Change password" }).click();
    // Said next to the field it is about (issue 13: per-field errors), which is marked invalid.
    await expect.poll(() => form.locator("[data-field-error]").textContent()).toBe("That is not your current password.");
    expect(await form.getByLabel("Current password").getAttribute("aria-invalid")).toBe("true");
    await form.getByLabel("Current password").fill(user.password);
    await form.getByRole("button", { name: "Change password" }).click();
    await form.getByText("Password changed. 1 other session was ended.").waitFor();
    expect((await expectSignedIn(other)).api).toBe(401);
    await page.goto("/apps");
    await page.getByRole("heading", { name: "Apps" }).waitFor();
    expect((await new AuthClient().signIn(user.email, "a new long password")).ok).toBe(true);
    await context.close();
  });
});
