import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { createDbClient, type Db } from "../lib/db/client";
import { hashPassword } from "../lib/auth/password";
import { createServer } from "../lib/servers/servers";
import { createApp } from "../lib/apps/apps";
import { startSshd, type TestSshd } from "../test/harness/sshd";
import { signInAs } from "./support/sign-in";

/** An admin manages an app in the browser: one variable at a time, its health settings, and deleting it with its releases (real sshd). */
const admin = { email: "apps-admin@example.test", password: "manage admin password 1" };

let client: Db;
let sshd: TestSshd;
let root: string;
let serverId: string;

test.beforeAll(async () => {
  client = createDbClient(process.env.DECKHAND_E2E_DATABASE_URL!, 2);
  sshd = await startSshd();
  root = mkdtempSync(path.join(os.tmpdir(), "deckhand-e2e-manage-"));
  const passwordHash = await hashPassword(admin.password);
  await client.user.upsert({ where: { email: admin.email }, create: { email: admin.email, role: "admin", passwordHash }, update: { role: "admin", passwordHash, disabled: false } });
  const { server } = await createServer(client, { name: "e2e-manage-srv", host: sshd.host, port: sshd.port, username: sshd.username, privateKey: sshd.privateKey, hostKeyFingerprint: sshd.hostKeyFingerprint });
  serverId = server.id;
});

test.afterAll(async () => {
  await sshd?.stop();
  rmSync(root, { recursive: true, force: true });
  await client?.$disconnect();
});

const signIn = (page: Page) => signInAs(page, admin);

async function newApp(name: string, env: Record<string, string> = {}) {
  const deployPath = path.join(root, name);
  const app = await createApp(client, {
    name,
    repoUrl: "/srv/none.git",
    deployPath,
    keepReleases: 5,
    installCommand: "",
    buildCommand: "",
    smokeCommand: "",
    restartCommand: "",
    serverIds: [serverId],
    strategy: "parallel",
    batchSize: 1,
    env,
  });
  return { id: app.id, deployPath };
}

const secretOf = (appId: string, name: string) => client.appSecret.findFirst({ where: { appId, name, environment: { name: "production" } }, omit: { encryptedValue: false } });

test.describe.serial("manage an app in the browser", () => {
  test("the environment editor adds, replaces and removes one variable, values never shown", async ({ page }) => {
    const { id } = await newApp("e2e-env-app", { KEEP_ME: "kept-value" });
    await signIn(page);
    await page.goto(`/apps/${id}`);
    const env = page.locator("#environment");
    await expect(env.getByTestId("env-var-KEEP_ME")).toContainText("KEEP_ME set");

    // A bad name is refused next to the form, before anything is sent.
    const add = env.getByRole("form", { name: "Add a variable" });
    await add.getByLabel("Name").fill("1-BAD");
    await add.getByLabel("Value").fill("x");
    await add.getByRole("button", { name: "Add variable" }).click();
    await expect(add.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
    await expect(add.getByText("letters, digits and _")).toBeVisible();

    await add.getByLabel("Name").fill("API_TOKEN");
    await add.getByLabel("Value").fill("first-secret-value");
    await add.getByRole("button", { name: "Add variable" }).click();
    await expect(env.getByTestId("env-var-API_TOKEN")).toContainText("API_TOKEN set");
    const first = await secretOf(id, "API_TOKEN");
    expect(first).not.toBeNull();
    await expect(page.locator("body")).not.toContainText("first-secret-value");

    const row = env.getByTestId("env-var-API_TOKEN");
    await row.getByRole("button", { name: "Replace value" }).click();
    await row.getByLabel("New value for API_TOKEN").fill("second-secret-value");
    await row.getByRole("button", { name: "Save value" }).click();
    await expect(row.getByRole("button", { name: "Replace value" })).toBeVisible();
    await expect.poll(async () => (await secretOf(id, "API_TOKEN"))?.encryptedValue).not.toBe(first!.encryptedValue);
    expect(await secretOf(id, "KEEP_ME")).not.toBeNull();

    // Removing asks first, in a dialog: Escape keeps it, its Remove button removes it (and says so in a toast).
    const ask = page.getByRole("dialog", { name: "Remove the variable API_TOKEN?" });
    await row.getByRole("button", { name: "Remove" }).click();
    await expect(ask).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(ask).toBeHidden();
    await expect(row).toBeVisible();
    expect(await secretOf(id, "API_TOKEN")).not.toBeNull();
    await row.getByRole("button", { name: "Remove" }).click();
    await ask.getByRole("button", { name: "Remove API_TOKEN" }).click();
    await expect(env.getByTestId("env-var-API_TOKEN")).toHaveCount(0);
    await expect(page.getByText("API_TOKEN removed")).toBeVisible();

    // Adding a name that is already set asks before its value is replaced: cancelled, the value stays.
    const kept = (await secretOf(id, "KEEP_ME"))!.encryptedValue;
    await add.getByLabel("Name").fill("KEEP_ME");
    await add.getByLabel("Value").fill("not-this-one");
    await add.getByRole("button", { name: "Add variable" }).click();
    const replaceAsk = page.getByRole("dialog", { name: "KEEP_ME is already set. Replace its value?" });
    await replaceAsk.getByRole("button", { name: "Cancel" }).click();
    await expect(replaceAsk).toBeHidden();
    expect((await secretOf(id, "KEEP_ME"))!.encryptedValue).toBe(kept);
    await expect.poll(() => secretOf(id, "API_TOKEN")).toBeNull();
    await expect(env.getByTestId("env-var-KEEP_ME")).toBeVisible();
    await page.screenshot({ path: "test-results/e2e/app-env-editor.png", fullPage: true });

    // At 390 px the editor and the danger zone fit the screen, their buttons reachable.
    await page.setViewportSize({ width: 390, height: 844 });
    for (const id of ["#environment", "#danger-zone"]) {
      const box = await page.locator(id).boundingBox();
      expect(box!.x + box!.width, id).toBeLessThanOrEqual(390);
    }
    const removeBox = await env.getByTestId("env-var-KEEP_ME").getByRole("button", { name: "Remove" }).boundingBox();
    expect(removeBox!.x + removeBox!.width).toBeLessThanOrEqual(390);
    await expect(page.locator("#danger-zone").getByRole("button", { name: "Delete app…" })).toBeVisible();
  });

  test("per-app health settings are saved from the app form", async ({ page }) => {
    const { id } = await newApp("e2e-health-app");
    await signIn(page);
    await page.goto(`/apps/${id}`);
    await page.getByText("Edit app").click();
    await page.getByLabel("Health check attempts").fill("3");
    await page.getByLabel("Retry delay (ms)").fill("500");
    await page.getByLabel("Monitor interval (s)").fill("30");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect
      .poll(async () => client.app.findUnique({ where: { id }, select: { healthRetries: true, healthRetryDelayMs: true, monitorIntervalSeconds: true } }))
      .toEqual({ healthRetries: 3, healthRetryDelayMs: 500, monitorIntervalSeconds: 30 });
  });

  test("deleting an app asks for its name and removes its releases from the server", async ({ page }) => {
    const { id, deployPath } = await newApp("e2e-delete-app");
    mkdirSync(path.join(deployPath, "releases", "20261207000000-abcdef0"), { recursive: true });
    mkdirSync(path.join(deployPath, "shared"), { recursive: true });
    writeFileSync(path.join(deployPath, "shared", ".env"), "A=1\n");
    symlinkSync("releases/20261207000000-abcdef0", path.join(deployPath, "current"));
    writeFileSync(path.join(deployPath, "keep.txt"), "someone else's\n");

    await signIn(page);
    await page.goto(`/apps/${id}`);
    const zone = page.locator("#danger-zone");
    await zone.getByRole("button", { name: "Delete app…" }).click();
    const confirm = zone.getByRole("button", { name: "Delete e2e-delete-app" });
    await expect(confirm).toBeDisabled();
    await zone.getByLabel("Type e2e-delete-app to confirm").fill("e2e-delete");
    await expect(confirm).toBeDisabled();
    await zone.getByLabel("Type e2e-delete-app to confirm").fill("e2e-delete-app");
    await zone.getByLabel("Also remove its releases from the servers").check();
    await page.screenshot({ path: "test-results/e2e/app-danger-zone.png", fullPage: true });
    await confirm.click();

    await expect(page).toHaveURL(/\/apps$/);
    await expect(page.getByText("e2e-delete-app")).toHaveCount(0);
    expect(await client.app.findUnique({ where: { id } })).toBeNull();
    for (const gone of ["releases", "current", "shared"]) expect(existsSync(path.join(deployPath, gone)), gone).toBe(false);
    expect(readFileSync(path.join(deployPath, "keep.txt"), "utf8")).toBe("someone else's\n");
  });
});
