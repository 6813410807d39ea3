import { expect, test } from "@playwright/test";

const admin = { email: "admin@example.test", password: "correct horse battery staple" };
const viewer = { email: "viewer@example.test", password: "viewer password 123" };

test.describe.serial("first run, sign-in and roles", () => {
  test("the setup form says what is wrong with JavaScript off, and keeps what was typed", async ({ browser }) => {
    // The browser's own form post to the server action (issue 13: simple forms work before JavaScript loads).
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto("/setup");
    await page.getByLabel("Email").fill("not an address");
    await page.getByLabel("Name (optional)").fill("Ada");
    await page.getByLabel("Password", { exact: true }).fill("short");
    await page.getByLabel("Confirm password").fill("shorter");
    await page.getByRole("button", { name: "Create admin and sign in" }).click();
    await expect(page.getByLabel("Email")).toHaveAccessibleDescription("Enter an email address, like name@example.com.");
    await expect(page.getByLabel("Password", { exact: true })).toHaveAccessibleDescription(/^Use at least 10 characters\./);
    await expect(page.getByLabel("Confirm password")).toHaveAccessibleDescription("The two passwords do not match.");
    await expect(page.getByLabel("Email")).toHaveValue("not an address");
    await expect(page.getByLabel("Name (optional)")).toHaveValue("Ada");
    await expect(page).toHaveURL(/\/setup$/);
    await context.close();
  });

  test("a new admin completes setup and sees the empty dashboard", async ({ page }) => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/setup$/);
    await page.getByLabel("Email").fill(admin.email);
    await page.getByLabel("Password", { exact: true }).fill(admin.password);
    await page.getByLabel("Confirm password").fill(admin.password);
    await page.getByRole("button", { name: "Create admin and sign in" }).click();
    await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
    await expect(page.getByText("Nothing deployed yet")).toBeVisible();
    await expect(page.getByTestId("current-user")).toContainText(admin.email);
    await page.screenshot({ path: "test-results/e2e/dashboard-empty.png", fullPage: true });

    // the setup page is gone for good
    await page.goto("/setup");
    await expect(page).not.toHaveURL(/\/setup$/);
  });

  test("a wrong password shows an error; the right one signs in", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill(admin.email);
    await page.getByLabel("Password").fill("not my password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Email or password is incorrect" })).toBeVisible();
    await page.getByLabel("Password").fill(admin.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  });

  test("an admin adds a viewer, who sees no admin settings", async ({ page, browser }) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill(admin.email);
    await page.getByLabel("Password").fill(admin.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("link", { name: "Settings" }).click();
    const form = page.getByRole("form", { name: "Add user" });
    await form.getByLabel("Email").fill(viewer.email);
    await form.getByLabel("Initial password").fill(viewer.password);
    await form.getByLabel("Role").selectOption("viewer");
    await form.getByRole("button", { name: "Add user" }).click();
    await expect(page.getByRole("cell", { name: viewer.email })).toBeVisible();

    const context = await browser.newContext();
    const viewerPage = await context.newPage();
    await viewerPage.goto("/login");
    await viewerPage.getByLabel("Email").fill(viewer.email);
    await viewerPage.getByLabel("Password").fill(viewer.password);
    await viewerPage.getByRole("button", { name: "Sign in" }).click();
    await expect(viewerPage.getByRole("heading", { name: "Overview" })).toBeVisible();
    await expect(viewerPage.getByRole("link", { name: "Settings" })).toHaveCount(0);
    const res = await viewerPage.goto("/settings");
    expect(res?.status()).toBe(403);
    await expect(viewerPage.getByRole("heading", { name: "Settings needs the admin role" })).toBeVisible();
    await context.close();
  });
});
