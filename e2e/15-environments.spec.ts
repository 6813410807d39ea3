import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { createDbClient, type Db } from "../lib/db/client";
import { hashPassword } from "../lib/auth/password";
import { createServer } from "../lib/servers/servers";
import { createApp } from "../lib/apps/apps";
import { createEnvironment } from "../lib/apps/environments";
import { setSecret } from "../lib/apps/secrets";
import { startSshd, type TestSshd } from "../test/harness/sshd";
import { createTestRepo, demoAppInput, freePort, PATH_FREE_DEMO_RESTART, stopDemoApp, type TestRepo } from "../test/harness/git-app";
import { signInAs } from "./support/sign-in";

/**
 * Environments (issue 15) in the browser: staging and production of one app on one machine, each in its own
 * deploy path; a deployer deploys to staging from the app page, then promotes it to production with the
 * confirmed button, and production's `current` holds exactly staging's commit.
 */
const deployer = { email: "promoter@example.test", password: "promoter password 1" };

let client: Db;
let sshd: TestSshd;
let repo: TestRepo;
let root: string;
let appId: string;

test.beforeAll(async () => {
  client = createDbClient(process.env.DECKHAND_E2E_DATABASE_URL!, 2);
  sshd = await startSshd();
  repo = createTestRepo(2);
  root = mkdtempSync(path.join(os.tmpdir(), "deckhand-e2e-environments-"));
  await client.user.create({ data: { email: deployer.email, role: "deployer", passwordHash: await hashPassword(deployer.password) } });
  const ssh = { host: sshd.host, port: sshd.port, username: sshd.username, privateKey: sshd.privateKey, hostKeyFingerprint: sshd.hostKeyFingerprint };
  const prod = (await createServer(client, { name: "e2e-env-prod", ...ssh })).server;
  const stage = (await createServer(client, { name: "e2e-env-stage", ...ssh })).server;
  const [prodPort, stagePort] = [await freePort(), await freePort()];
  const app = await createApp(client, demoAppInput({ name: "promoted", repoPath: repo.path, deployPath: path.join(root, "production"), port: prodPort, serverIds: [prod.id] }, { restartCommand: PATH_FREE_DEMO_RESTART }));
  appId = app.id;
  const { environment } = await createEnvironment(client, appId, { name: "staging", serverIds: [stage.id], deployPath: path.join(root, "staging"), healthUrl: `http://127.0.0.1:${stagePort}/health`, position: 10 });
  await setSecret(client, appId, "PORT", String(stagePort), environment.id);
});

test.afterAll(async () => {
  for (const p of ["production", "staging"]) stopDemoApp(path.join(root, p));
  await sshd?.stop();
  repo?.cleanup();
  rmSync(root, { recursive: true, force: true });
  await client?.$disconnect();
});

const signIn = (page: Page) => signInAs(page, deployer);

const revisionAt = (env: string) => readFileSync(path.join(root, env, "current", "REVISION"), "utf8").trim();

test("a deployer deploys to staging from the app page, then promotes exactly that commit to production", async ({ page }) => {
  await signIn(page);
  await page.goto(`/apps/${appId}`);
  const panel = page.getByTestId("environments");
  await expect(panel.getByTestId("environment-staging")).toContainText("nothing deployed yet");
  await expect(panel.getByTestId("environment-production")).toContainText("e2e-env-prod");

  await page.getByLabel("Branch, tag or commit").fill(repo.commits[0]!);
  await page.getByTestId("deploy-environment").selectOption("staging");
  await page.getByTestId("deploy-button").click();
  await expect(page.getByRole("dialog")).toContainText("to staging");
  await page.getByTestId("confirm-changes-button").click();
  await expect(page).toHaveURL(/\/deploys\//);
  await expect(page.getByTestId("deploy-status").locator("[data-status]")).toHaveAttribute("data-status", "succeeded", { timeout: 60_000 });
  expect(revisionAt("staging")).toBe(repo.commits[0]);

  await page.goto(`/apps/${appId}`);
  await expect(panel.getByTestId("environment-staging")).toContainText(repo.commits[0]!.slice(0, 7));
  await page.setViewportSize({ width: 390, height: 900 });
  await panel.screenshot({ path: "test-results/e2e/environments-390.png" });
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.getByTestId("promote-staging").click();
  const dialog = page.getByRole("dialog", { name: `Promote ${repo.commits[0]!.slice(0, 7)} to production?` });
  await expect(dialog).toContainText("exactly what runs in staging");
  await dialog.getByRole("button", { name: "Promote to production" }).click();
  await expect(page).toHaveURL(/\/deploys\//);
  await expect(page.getByTestId("deploy-status").locator("[data-status]")).toHaveAttribute("data-status", "succeeded", { timeout: 60_000 });
  // Exactly staging's commit, not main's newer head.
  expect(revisionAt("production")).toBe(repo.commits[0]);
  expect(repo.commits[1]).not.toBe(repo.commits[0]);
  const row = await client.deploy.findFirstOrThrow({ where: { appId, promotedFrom: "staging" }, select: { status: true, commit: true, environment: { select: { name: true } } } });
  expect(row).toEqual({ status: "succeeded", commit: repo.commits[0], environment: { name: "production" } });
});

test("each environment has its own lock: a deploy holding staging leaves production's Deploy button free", async ({ page }) => {
  const staging = await client.environment.findUniqueOrThrow({ where: { appId_name: { appId, name: "staging" } }, select: { id: true } });
  // A request waiting in staging's queue holds its lock (no job behind it: nothing runs it).
  const held = await client.deploy.create({ data: { appId, environmentId: staging.id, kind: "deploy", status: "queued", ref: "main", actorLabel: "holder@example.test" }, select: { id: true } });
  try {
    await signIn(page);
    await page.goto(`/apps/${appId}`);
    const button = page.getByTestId("deploy-button");
    await expect(button).toBeEnabled();
    await page.getByTestId("deploy-environment").selectOption("staging");
    await expect(button).toBeDisabled();
    await expect(button).toContainText("Locked by holder@example.test");
    await expect(page.getByTestId("deploy-locked").getByRole("link", { name: "Watch it" })).toHaveAttribute("href", `/apps/${appId}/deploys/${held.id}`);
    await page.getByTestId("deploy-environment").selectOption("production");
    await expect(button).toBeEnabled();
    await expect(page.getByTestId("deploy-locked")).toHaveCount(0);
  } finally {
    await client.deploy.delete({ where: { id: held.id } });
  }
});
