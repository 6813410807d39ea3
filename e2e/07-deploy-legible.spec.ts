import { readFile } from "node:fs/promises";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { createDbClient, type Db } from "../lib/db/client";
import { hashPassword } from "../lib/auth/password";
import { createServer } from "../lib/servers/servers";
import { createApp } from "../lib/apps/apps";
import { startSshd, type TestSshd } from "../test/harness/sshd";
import { createTestRepo, demoAppInput, freePort, stopDemoApp, type TestRepo } from "../test/harness/git-app";
import { signInAs } from "./support/sign-in";

/** Deploys a person can read (issue 12): a coloured log, search, download, commits before a rollback, redeploy, the lock. */
const deployer = { email: "legible@example.test", password: "legible password 1" };

let client: Db;
let sshd: TestSshd;
let repo: TestRepo;
let root: string;
let appId: string;

// 300 plain lines, green on stdout, bold red on stderr, a pause (so the live view can be seen), then done.
const BUILD = [
  'for i in $(seq 1 300); do echo "line $i of the build"; done',
  "printf '\\033[32mcompiled ok\\033[0m\\n'",
  // stdout and stderr are two SSH streams: 300 ms apart they arrive in the order written (back to back, either way).
  "sleep 0.3",
  "printf '\\033[1;31mwarning: something red\\033[0m\\n' >&2",
  "sleep 5",
  "echo built",
].join("; ");

test.beforeAll(async () => {
  client = createDbClient(process.env.DECKHAND_E2E_DATABASE_URL!, 2);
  sshd = await startSshd();
  repo = createTestRepo(2);
  root = mkdtempSync(path.join(os.tmpdir(), "deckhand-e2e-legible-"));
  await client.user.create({ data: { email: deployer.email, role: "deployer", passwordHash: await hashPassword(deployer.password) } });
  const { server } = await createServer(client, { name: "legible-web-1", host: sshd.host, port: sshd.port, username: sshd.username, privateKey: sshd.privateKey, hostKeyFingerprint: sshd.hostKeyFingerprint });
  const port = await freePort();
  const deployPath = path.join(root, "paint");
  const app = await createApp(client, demoAppInput({ name: "paint", repoPath: repo.path, deployPath, port, serverIds: [server.id] }, { installCommand: "", buildCommand: BUILD, smokeCommand: "test -f server.js" }));
  appId = app.id;
});

test.afterAll(async () => {
  stopDemoApp(path.join(root, "paint"));
  await sshd?.stop();
  repo?.cleanup();
  rmSync(root, { recursive: true, force: true });
  await client?.$disconnect();
});

const signIn = (page: Page) => signInAs(page, deployer);

async function waitSucceeded(page: Page) {
  await expect(page.getByTestId("deploy-status").locator("[data-status]")).toHaveAttribute("data-status", "succeeded", { timeout: 60_000 });
}

test.describe.serial("deploys a person can read", () => {
  test("a coloured live log: spans not escape codes, stderr marked, search, download", async ({ page }, testInfo) => {
    await signIn(page);
    await page.goto(`/apps/${appId}`);
    await page.getByLabel("Branch, tag or commit").fill("v1.0");
    await page.getByTestId("deploy-button").click();
    await expect(page.getByTestId("changes-heading")).toContainText("will be the first release");
    await page.getByTestId("confirm-changes-button").click();
    await expect(page).toHaveURL(/\/deploys\//);

    const log = page.getByTestId("deploy-log");
    const green = log.locator("[data-ansi]", { hasText: "compiled ok" });
    await expect(green).toBeVisible({ timeout: 30_000 });
    expect(await green.evaluate((el) => getComputedStyle(el).color)).toBe("rgb(74, 222, 128)");
    const red = log.locator("[data-stream=stderr]", { hasText: "warning: something red" });
    await expect(red).toBeVisible();
    expect(await red.locator("[data-ansi]").evaluate((el) => getComputedStyle(el).fontWeight)).toBe("700");
    await expect(page.getByTestId("deploy-status").locator("[data-status]")).toHaveAttribute("data-status", "running");
    // stdout and stderr in the order they arrived
    const lines = await log.getByTestId("log-line").allInnerTexts();
    expect(lines.findIndex((l) => l.includes("compiled ok"))).toBeLessThan(lines.findIndex((l) => l.includes("warning: something red")));
    await page.screenshot({ path: testInfo.outputPath("deploy-live-coloured-log.png"), fullPage: true });
    await page.screenshot({ path: "test-results/e2e/deploy-live-coloured-log.png", fullPage: true });

    await waitSucceeded(page);
    const shown = await log.innerText();
    expect(shown).not.toContain("\x1b");
    expect(shown).not.toMatch(/\[(1;)?3\dm/);

    // search: a line far below, in a virtualised list, is found and scrolled into view
    const search = page.getByTestId("log-search");
    await search.fill("line 250 of");
    await expect(page.getByTestId("log-search-count")).toHaveText("1 of 1");
    await search.press("Enter");
    await expect(page.getByTestId("log-match-current")).toBeVisible();
    await expect(page.getByTestId("log-match-current")).toHaveText("line 250 of");
    // 300 output lines and the "$ for i in …" line that shows the command
    await search.fill("of the build");
    await expect(page.getByTestId("log-search-count")).toHaveText("1 of 301");
    await search.press("Enter");
    await expect(page.getByTestId("log-search-count")).toHaveText("2 of 301");
    await search.press("Shift+Enter");
    await expect(page.getByTestId("log-search-count")).toHaveText("1 of 301");
    // only the rows in view are in the page
    expect(await log.getByTestId("log-line").count()).toBeLessThan(150);

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("log-download").click()]);
    expect(download.suggestedFilename()).toMatch(/^paint-deploy-\d{8}T\d{6}-.+\.log$/);
    const text = await readFile((await download.path())!, "utf8");
    expect(text).toContain("compiled ok\n");
    expect(text).toContain("line 300 of the build");
    expect(text).not.toContain("\x1b");
  });

  test("commit messages shown; the commits a rollback takes away listed before it is confirmed; redeploy; Deploy locked while one runs", async ({ page }, testInfo) => {
    await signIn(page);
    await page.goto(`/apps/${appId}`);
    await page.getByLabel("Branch, tag or commit").fill("main");
    await page.getByTestId("deploy-button").click();
    await expect(page.getByTestId("changes-heading")).toContainText("1 commit since the current release");
    await expect(page.getByTestId("change-commit")).toHaveAttribute("data-sha", repo.commits[1]!);
    await page.getByTestId("confirm-changes-button").click();
    await waitSucceeded(page);
    await expect(page.getByTestId("commit-summary").first()).toContainText("v2");

    await page.goto(`/apps/${appId}`);
    const releases = page.getByTestId("releases");
    await expect(releases.getByTestId("commit-message").first()).toHaveText("v2");
    await expect(releases.getByTestId("commit-author").first()).toHaveText("t");
    const older = page.locator("[data-testid^=release-][data-current=false]").first();
    await older.getByRole("button", { name: /Roll back/ }).click();
    const dialog = page.getByTestId("confirm-changes");
    await expect(dialog.getByTestId("changes")).toHaveAttribute("data-direction", "back");
    await expect(dialog.getByTestId("changes-heading")).toContainText("Rolling back takes away 1 commit");
    await expect(dialog.getByTestId("change-commit")).toHaveAttribute("data-sha", repo.commits[1]!);
    await expect(dialog.getByTestId("change-commit")).toContainText("v2");
    await page.screenshot({ path: testInfo.outputPath("rollback-changes.png") });
    await dialog.getByTestId("confirm-changes-button").click();
    await expect(page).toHaveURL(/\/deploys\//);
    await waitSucceeded(page);

    // Redeploy the release that is current (v1): a fresh build of its commit.
    await page.goto(`/apps/${appId}`);
    const current = page.locator("[data-testid^=release-][data-current=true]");
    await current.getByRole("button", { name: /Redeploy/ }).click();
    await expect(page.getByTestId("changes-heading")).toContainText("already deployed");
    await page.getByTestId("confirm-changes-button").click();
    await expect(page).toHaveURL(/\/deploys\//);
    const redeployUrl = page.url();

    // While it runs, the app's Deploy button is not clickable and says who holds the lock.
    await page.goto(`/apps/${appId}`);
    await expect(page.getByTestId("deploy-button")).toBeDisabled();
    await expect(page.getByTestId("deploy-button")).toContainText(`Locked by ${deployer.email}`);
    await expect(page.getByTestId("deploy-locked").getByRole("link", { name: "Watch it" })).toHaveAttribute("href", new URL(redeployUrl).pathname);
    await page.screenshot({ path: testInfo.outputPath("app-page-locked.png"), fullPage: true });
    // The overview while it runs: the running deploy leads its list (the build's pause keeps it running).
    await page.goto("/");
    await expect(page.getByTestId("overview-deploys").locator('[data-status="running"]').first()).toBeVisible();
    await page.screenshot({ path: "test-results/e2e/overview-deploy-running.png", fullPage: true });

    await page.goto(redeployUrl);
    await waitSucceeded(page);
    const last = await client.deploy.findFirstOrThrow({ where: { appId }, orderBy: { createdAt: "desc" } });
    expect(last).toMatchObject({ kind: "deploy", status: "succeeded", commit: repo.commits[0] });

    // The overview lists deploys across every app, running ones first, then the newest: this one leads.
    await page.goto("/");
    const overviewDeploys = page.getByTestId("overview-deploys");
    await expect(overviewDeploys.getByRole("link").first()).toHaveAttribute("href", new URL(redeployUrl).pathname);
    await expect(overviewDeploys.getByRole("cell", { name: "paint", exact: true }).first()).toBeVisible();
    await page.screenshot({ path: "test-results/e2e/overview-deploys.png", fullPage: true });

    await page.goto(`/apps/${appId}`);
    await expect(page.getByTestId("deploy-button")).toBeEnabled();
    await page.screenshot({ path: testInfo.outputPath("app-page.png"), fullPage: true });
    await page.screenshot({ path: "test-results/e2e/app-page.png", fullPage: true });
  });
});
