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

/** Approvals (issue 15): one deployer requests a production deploy, another approves it in the browser, and it runs. */
const requester = { email: "requester@example.test", password: "requester password 1" };
const approver = { email: "approver@example.test", password: "approver password 1" };

let client: Db;
let sshd: TestSshd;
let repo: TestRepo;
let root: string;
let appId: string;

test.beforeAll(async () => {
  client = createDbClient(process.env.DECKHAND_E2E_DATABASE_URL!, 2);
  sshd = await startSshd();
  repo = createTestRepo(1);
  root = mkdtempSync(path.join(os.tmpdir(), "deckhand-e2e-approvals-"));
  for (const u of [requester, approver]) await client.user.create({ data: { email: u.email, role: "deployer", passwordHash: await hashPassword(u.password) } });
  const { server } = await createServer(client, { name: "e2e-gate-1", host: sshd.host, port: sshd.port, username: sshd.username, privateKey: sshd.privateKey, hostKeyFingerprint: sshd.hostKeyFingerprint });
  const port = await freePort();
  const app = await createApp(client, demoAppInput({ name: "gated", repoPath: repo.path, deployPath: path.join(root, "gated"), port, serverIds: [server.id] }));
  appId = app.id;
  // The environment's admin setting belongs to another part of issue 15: set directly here.
  await client.environment.update({ where: { appId_name: { appId, name: "production" } }, data: { requireApproval: true } });
});

test.afterAll(async () => {
  stopDemoApp(path.join(root, "gated"));
  await sshd?.stop();
  repo?.cleanup();
  rmSync(root, { recursive: true, force: true });
  await client?.$disconnect();
});

const signIn = signInAs;

test("a production deploy waits for another deployer, who approves it in the browser; the requester's own approval is refused", async ({ browser }) => {
  const mine = await browser.newContext();
  const page = await mine.newPage();
  await signIn(page, requester);
  await page.goto(`/apps/${appId}`);
  await page.getByLabel("Branch, tag or commit").fill("main");
  await page.getByTestId("deploy-button").click();
  await page.getByTestId("confirm-changes-button").click();
  await expect(page).toHaveURL(/\/deploys\//);
  const deployId = page.url().split("/deploys/")[1]!;
  await expect(page.getByTestId("deploy-status").locator("[data-status]")).toHaveAttribute("data-status", "awaiting_approval");
  const box = page.getByTestId("approval");
  await expect(box).toContainText("Waiting for approval by another deployer");
  await expect(box.getByRole("button", { name: "Approve" })).toBeDisabled();
  await expect(box.getByTestId("approval-why")).toHaveText("You requested this deploy: another deployer must approve or reject it.");
  // Around the disabled button: the API refuses the requester too, with the session's cookie.
  const own = await page.request.post(`/api/v1/deploys/${deployId}/approve`, { headers: { origin: new URL(page.url()).origin, "content-type": "application/json" }, data: {} });
  expect(own.status()).toBe(403);
  expect(((await own.json()) as { error: { message: string } }).error.message).toContain("you cannot approve your own deploy");
  // The overview lists the waiting request with the running ones.
  await page.goto("/");
  await expect(page.getByTestId("overview-deploys").locator('[data-status="awaiting_approval"]').first()).toBeVisible();

  const theirs = await browser.newContext();
  const other = await theirs.newPage();
  await signIn(other, approver);
  await other.goto(`/apps/${appId}/deploys/${deployId}`);
  await other.getByTestId("approval").getByRole("button", { name: "Approve" }).click();
  const dialog = other.getByRole("dialog", { name: "Approve this deploy?" });
  await expect(dialog).toContainText(`requested by ${requester.email}`);
  await dialog.getByRole("button", { name: "Approve and deploy" }).click();
  await expect(other.getByTestId("deploy-status").locator("[data-status]")).toHaveAttribute("data-status", "succeeded", { timeout: 60_000 });
  await expect(other.getByTestId("approval")).toHaveCount(0);
  await other.screenshot({ path: "test-results/e2e/approval-approved.png", fullPage: true });

  const row = await client.deploy.findUniqueOrThrow({ where: { id: deployId }, select: { status: true, decidedByLabel: true } });
  expect(row).toEqual({ status: "succeeded", decidedByLabel: approver.email });
  await mine.close();
  await theirs.close();
});
