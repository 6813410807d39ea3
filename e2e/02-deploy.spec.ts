import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { createDbClient, type Db } from "../lib/db/client";
import { hashPassword } from "../lib/auth/password";
import { createServer } from "../lib/servers/servers";
import { createApp } from "../lib/apps/apps";
import { startSshd, type TestSshd } from "../test/harness/sshd";
import { createTestRepo, demoAppInput, freePort, stopDemoApp, type TestRepo } from "../test/harness/git-app";
import { signInAs } from "./support/sign-in";

/** A deployer deploys and rolls back in the browser over real SSH; a viewer watches but cannot act. */
const deployer = { email: "deployer@example.test", password: "deployer password 1" };
const viewer = { email: "watcher@example.test", password: "watcher password 1" };

let client: Db;
let sshd: TestSshd;
let repo: TestRepo;
let root: string;
let appId: string;

test.beforeAll(async () => {
  client = createDbClient(process.env.DECKHAND_E2E_DATABASE_URL!, 2);
  sshd = await startSshd();
  repo = createTestRepo(2);
  root = mkdtempSync(path.join(os.tmpdir(), "deckhand-e2e-"));
  for (const [u, role] of [
    [deployer, "deployer"],
    [viewer, "viewer"],
  ] as const) {
    await client.user.create({ data: { email: u.email, role, passwordHash: await hashPassword(u.password) } });
  }
  const { server } = await createServer(client, { name: "e2e-web-1", host: sshd.host, port: sshd.port, username: sshd.username, privateKey: sshd.privateKey, hostKeyFingerprint: sshd.hostKeyFingerprint });
  const port = await freePort();
  const deployPath = path.join(root, "shop");
  const app = await createApp(client, demoAppInput({ name: "shop", repoPath: repo.path, deployPath, port, serverIds: [server.id] }, { buildCommand: "echo building; sleep 1; echo built" }));
  appId = app.id;
});

test.afterAll(async () => {
  stopDemoApp(path.join(root, "shop"));
  await sshd?.stop();
  repo?.cleanup();
  rmSync(root, { recursive: true, force: true });
  await client?.$disconnect();
});

const signIn = signInAs;

const admin = { email: "admin@example.test", password: "correct horse battery staple" };

test.describe.serial("deploy and roll back in the browser", () => {
  test("a deployer deploys, watches the steps stream to success, deploys again and rolls back", async ({ page }) => {
    await signIn(page, deployer);
    await page.goto(`/apps/${appId}`);
    await page.getByLabel("Branch, tag or commit").fill("v1.0");
    await page.getByTestId("deploy-button").click();
    await expect(page.getByTestId("changes-heading")).toContainText("will be the first release");
    await page.getByTestId("confirm-changes-button").click();
    await expect(page).toHaveURL(/\/deploys\//);
    // the live view shows steps changing state while it runs, then the final status
    await expect(page.getByTestId("step-e2e-web-1-build")).toHaveAttribute("data-status", /running|succeeded/);
    await expect(page.getByTestId("deploy-status").locator("[data-status]")).toHaveAttribute("data-status", "succeeded", { timeout: 60_000 });
    for (const step of ["fetch", "install", "build", "smoke", "switch", "restart", "health", "cleanup"]) {
      await expect(page.getByTestId(`step-e2e-web-1-${step}`)).toHaveAttribute("data-status", "succeeded");
    }
    await expect(page.getByTestId("deploy-log")).toContainText("building");
    await expect(page.getByTestId("deploy-log")).toContainText("healthy:");
    await page.screenshot({ path: "test-results/e2e/deploy-live.png", fullPage: true });

    await page.goto(`/apps/${appId}`);
    await page.getByLabel("Branch, tag or commit").fill("main");
    await page.getByTestId("deploy-button").click();
    await page.getByTestId("confirm-changes-button").click();
    await expect(page.getByTestId("deploy-status").locator("[data-status]")).toHaveAttribute("data-status", "succeeded", { timeout: 60_000 });

    await page.goto(`/apps/${appId}`);
    await expect(page.getByTestId("current-release")).toContainText(repo.commits[1]!);
    const older = page.locator("[data-testid^=release-][data-current=false]").first();
    await older.getByRole("button", { name: /Roll back/ }).click();
    await page.getByTestId("confirm-changes-button").click();
    await expect(page).toHaveURL(/\/deploys\//);
    await expect(page.getByTestId("deploy-status").locator("[data-status]")).toHaveAttribute("data-status", "succeeded", { timeout: 60_000 });
    await page.goto(`/apps/${appId}`);
    await expect(page.getByTestId("current-release")).toContainText(repo.commits[0]!);
    await page.screenshot({ path: "test-results/e2e/app-after-rollback.png", fullPage: true });
  });

  test("a viewer sees everything but cannot deploy, and the server refuses even a forced click", async ({ page }) => {
    await signIn(page, viewer);
    await page.goto(`/apps/${appId}`);
    await expect(page.getByTestId("deploy-history")).toBeVisible();
    const deploy = page.getByTestId("deploy-button");
    await expect(deploy).toBeDisabled();
    await expect(page.getByRole("button", { name: /Roll back/ }).first()).toBeDisabled();
    // Enable the button in the page and click it: the server action still checks the role.
    await deploy.evaluate((b) => b.removeAttribute("disabled"));
    await deploy.click();
    await page.getByTestId("confirm-changes-button").click();
    await expect(page.getByText("This needs the deployer role; you are viewer")).toBeVisible();
    expect(await client.deploy.count({ where: { appId, actorLabel: viewer.email } })).toBe(0);
  });

  test("an admin filters the audit log to the deploy done earlier and exports it", async ({ page }) => {
    const firstDeploy = await client.deploy.findFirstOrThrow({ where: { appId, kind: "deploy" }, orderBy: { createdAt: "asc" } });
    await signIn(page, admin);
    await page.getByRole("link", { name: "Audit" }).click();
    await page.getByTestId("audit-filter-target").fill(`deploy:${firstDeploy.id}`);
    await page.getByTestId("audit-filter-apply").click();
    const rows = page.getByTestId("audit-row");
    await expect(rows.first()).toBeVisible();
    const actions = await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-action")));
    expect(new Set(actions)).toEqual(new Set(["deploy.start", "deploy.finish"]));
    await expect(rows.filter({ hasText: deployer.email }).first()).toBeVisible();
    await page.screenshot({ path: "test-results/e2e/audit-filtered.png", fullPage: true });

    const [csv] = await Promise.all([page.waitForEvent("download"), page.getByTestId("audit-export-csv").click()]);
    const csvText = await (await import("node:fs/promises")).readFile((await csv.path())!, "utf8");
    expect(csvText.split("\n")[0]).toMatch(/^id,at,actor/);
    expect(csvText).toContain(firstDeploy.id);
    expect(csvText).toContain("deploy.start");
    const [json] = await Promise.all([page.waitForEvent("download"), page.getByTestId("audit-export-json").click()]);
    const events = JSON.parse(await (await import("node:fs/promises")).readFile((await json.path())!, "utf8")) as unknown;
    expect(JSON.stringify(events)).toContain(firstDeploy.id);
  });
});
