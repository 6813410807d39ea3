import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { createDbClient, type Db } from "../lib/db/client";
import { hashPassword } from "../lib/auth/password";
import { createServer } from "../lib/servers/servers";
import { createApp } from "../lib/apps/apps";
import { startSshd, type TestSshd } from "../test/harness/sshd";
import { signInAs } from "./support/sign-in";

/**
 * Environments managed in the browser (issue 15): an admin adds staging with a server, edits it, is told about
 * a bad name next to the field, freezes production (a deploy there is then refused as frozen), ends the freeze,
 * is not offered a Delete for production, and deletes staging; a viewer sees the same panel without forms.
 */
const admin = { email: "envforms-admin@example.test", password: "envforms admin password 1" };
const viewer = { email: "envforms-viewer@example.test", password: "envforms viewer password 1" };
const SCREENS = "test-results/e2e";

let client: Db;
let sshd: TestSshd;
let root: string;
let appId: string;

test.beforeAll(async () => {
  client = createDbClient(process.env.DECKHAND_E2E_DATABASE_URL!, 2);
  sshd = await startSshd();
  root = mkdtempSync(path.join(os.tmpdir(), "deckhand-e2e-envforms-"));
  for (const [user, role] of [
    [admin, "admin"],
    [viewer, "viewer"],
  ] as const) {
    const passwordHash = await hashPassword(user.password);
    await client.user.upsert({ where: { email: user.email }, create: { email: user.email, role, passwordHash }, update: { role, passwordHash, disabled: false } });
  }
  const ssh = { host: sshd.host, port: sshd.port, username: sshd.username, privateKey: sshd.privateKey, hostKeyFingerprint: sshd.hostKeyFingerprint };
  const prod = (await createServer(client, { name: "e2e-envforms-prod", ...ssh })).server;
  await createServer(client, { name: "e2e-envforms-stage", ...ssh });
  const app = await createApp(client, {
    name: "e2e-envforms",
    repoUrl: "/srv/none.git",
    deployPath: path.join(root, "production"),
    keepReleases: 5,
    installCommand: "",
    buildCommand: "",
    smokeCommand: "",
    restartCommand: "",
    serverIds: [prod.id],
    strategy: "parallel",
    batchSize: 1,
    env: {},
  });
  appId = app.id;
});

test.afterAll(async () => {
  await sshd?.stop();
  rmSync(root, { recursive: true, force: true });
  await client?.$disconnect();
});

const signIn = signInAs;

const panelOf = (page: Page) => page.locator("section").filter({ has: page.getByRole("heading", { name: "Environments", exact: true }) });

/** The panel at a phone's and a desktop's width, light and dark, with no sideways scroll. */
async function screenshots(page: Page, panel: Locator, name: string) {
  // The "saved" toasts are fixed to the window and would sit across the panel's picture.
  await expect(page.locator("[data-sonner-toast]")).toHaveCount(0, { timeout: 20_000 });
  for (const width of [390, 1440]) {
    for (const theme of ["light", "dark"] as const) {
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ colorScheme: theme });
      if (theme === "dark") await expect(page.locator("html")).toHaveClass(/\bdark\b/);
      else await expect(page.locator("html")).not.toHaveClass(/\bdark\b/);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), `${name} at ${width} px ${theme}`).toBeLessThanOrEqual(0);
      await panel.screenshot({ path: `${SCREENS}/${name}-${width}-${theme}.png` });
    }
  }
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.emulateMedia({ colorScheme: "light" });
}

/** A datetime-local value (the browser's local time, as the freeze form takes it) `hours` from now. */
function localInput(hours: number): string {
  const d = new Date(Date.now() + hours * 3_600_000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

test.describe.serial("environments in the browser", () => {
  test("an admin adds, edits, freezes and deletes environments with forms", async ({ page }) => {
    await signIn(page, admin);
    await page.goto(`/apps/${appId}`);
    const panel = panelOf(page);
    await expect(panel).toContainText("Only production so far. Add staging below");

    // A bad name: said next to the Name field, which takes the focus; what was typed stays.
    await panel.locator("summary", { hasText: "Add environment" }).click();
    const add = panel.getByRole("form", { name: "Add environment" });
    await add.getByLabel("Name", { exact: true }).fill("Staging!");
    await add.getByRole("button", { name: "Add environment" }).click();
    await expect(add.getByLabel("Name", { exact: true })).toHaveAttribute("aria-invalid", "true");
    await expect(add.getByLabel("Name", { exact: true })).toBeFocused();
    await expect(add.getByText("Must use lowercase letters, digits and - (such as staging).")).toBeVisible();
    await expect(add.getByLabel("Name", { exact: true })).toHaveValue("Staging!");

    await add.getByLabel("Name", { exact: true }).fill("staging");
    await add.getByLabel("Position in the promotion order").fill("10");
    await add.getByLabel("e2e-envforms-stage").check();
    await add.getByLabel("Deploy path (optional)").fill(path.join(root, "staging"));
    await add.getByRole("button", { name: "Add environment" }).click();
    const staging = panel.getByTestId("environment-staging");
    await expect(staging).toContainText("e2e-envforms-stage");
    await expect(staging).toContainText(path.join(root, "staging"));
    await expect(panel).not.toContainText("Only production so far");

    // Edit: a field error first (soak too long), then approval and a verdict.
    await staging.locator("summary", { hasText: "Edit staging" }).click();
    const edit = staging.getByRole("form", { name: "Edit staging" });
    await expect(edit.getByLabel("e2e-envforms-stage")).toBeChecked();
    await edit.getByLabel("Soak (minutes)").fill("5000");
    await edit.getByRole("button", { name: "Save environment" }).click();
    await expect(edit.getByText("Must be at most 1440.")).toBeVisible();
    await expect(edit.getByLabel("Soak (minutes)")).toHaveAttribute("aria-invalid", "true");
    await edit.getByLabel("Soak (minutes)").fill("10");
    await edit.getByLabel(/Require approval/).check();
    await edit.getByLabel("Approval expires after (minutes)").fill("60");
    await edit.getByLabel("After the health check").selectOption("alert");
    await edit.getByRole("button", { name: "Save environment" }).click();
    await expect(staging).toContainText("approval");
    await expect(staging).toContainText("verdict: alert");
    const row = await client.environment.findFirstOrThrow({ where: { appId, name: "staging" }, select: { position: true, soakMinutes: true, requireApproval: true, approvalTtlMinutes: true, verdict: true } });
    expect(row).toEqual({ position: 10, soakMinutes: 10, requireApproval: true, approvalTtlMinutes: 60, verdict: "alert" });
    const audit = await client.auditEvent.findFirst({ where: { action: "environment.update" }, orderBy: { id: "desc" }, select: { actorLabel: true } });
    expect(audit?.actorLabel).toContain(admin.email);

    // Freeze production with a reason: the card says so, and a deploy there is refused as frozen.
    const production = panel.getByTestId("environment-production");
    await production.locator("summary", { hasText: "Freeze…" }).click();
    const freeze = production.getByRole("form", { name: "Freeze production" });
    await freeze.getByRole("button", { name: "Freeze production" }).click();
    await expect(freeze.getByText("Choose when the freeze ends.")).toBeVisible();
    await expect(freeze.getByLabel("Ends at")).toBeFocused();
    await freeze.getByLabel("Ends at").fill(localInput(48));
    await freeze.getByLabel("Reason").fill("x");
    await freeze.getByRole("button", { name: "Freeze production" }).click();
    await expect(freeze.getByText("Say why (at least 3 characters).")).toBeVisible();
    await expect(freeze.getByLabel("Reason")).toHaveAttribute("aria-invalid", "true");
    await freeze.getByLabel("Reason").fill("Holiday code freeze");
    await freeze.getByRole("button", { name: "Freeze production" }).click();
    await expect(production).toContainText("frozen until");
    const freezeRow = production.getByTestId("freeze-production");
    await expect(freezeRow).toContainText("Frozen: Holiday code freeze");
    await expect(freezeRow).toContainText(`set by ${admin.email}`);

    await page.getByLabel("Branch, tag or commit").fill("main");
    await page.getByTestId("deploy-environment").selectOption("production");
    await page.getByTestId("deploy-button").click();
    await page.getByTestId("confirm-changes-button").click();
    await expect(page.getByRole("dialog")).toContainText("production is frozen until");
    await page.getByRole("dialog").getByRole("button", { name: "Back" }).click();

    await staging.locator("summary", { hasText: "Freeze…" }).click();
    await screenshots(page, panel, "environment-forms");

    // End the freeze, after confirming.
    await freezeRow.getByRole("button", { name: "End freeze…" }).click();
    const endDialog = page.getByRole("dialog", { name: "End the freeze of production?" });
    await endDialog.getByRole("button", { name: "End freeze" }).click();
    await expect(production.getByTestId("freeze-production")).toHaveCount(0);
    await expect(production).toContainText("No freeze now or coming");
    await expect(production).not.toContainText("frozen until");

    // production: not offered (the API's refusal is test/api/environments.test.ts), and the card says why.
    await expect(panel.getByTestId("delete-environment-production")).toHaveCount(0);
    await expect(production.getByTestId("production-not-deletable")).toHaveText("production cannot be deleted: every app has it.");

    await panel.getByTestId("delete-environment-staging").click();
    const confirm = page.getByRole("dialog", { name: "Delete staging?" });
    await expect(confirm).toContainText("e2e-envforms-stage");
    await confirm.getByRole("button", { name: "Delete staging" }).click();
    await expect(panel.getByTestId("environment-staging")).toHaveCount(0);
    await expect(panel).toContainText("Only production so far");
    expect(await client.environment.count({ where: { appId, name: "staging" } })).toBe(0);
  });

  test("a viewer sees environments and freezes, and no forms", async ({ page }) => {
    const production = await client.environment.findFirstOrThrow({ where: { appId, name: "production" }, select: { id: true } });
    await client.freezeWindow.create({ data: { environmentId: production.id, startsAt: new Date(), endsAt: new Date(Date.now() + 86_400_000), reason: "Viewer can read this", createdBy: admin.email } });
    await signIn(page, viewer);
    await page.goto(`/apps/${appId}`);
    const panel = panelOf(page);
    await expect(panel.getByTestId("freeze-production")).toContainText("Viewer can read this");
    await expect(panel).toContainText("An admin can add staging");
    await expect(panel.getByRole("form")).toHaveCount(0);
    await expect(panel.getByRole("button")).toHaveCount(0);
    await expect(panel.getByText("Add environment")).toHaveCount(0);
    await expect(panel.getByText("Freeze…")).toHaveCount(0);
    await panel.screenshot({ path: `${SCREENS}/environment-forms-viewer-1440.png` });
  });
});
