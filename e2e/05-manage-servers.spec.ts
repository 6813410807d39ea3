import { expect, test, type Page } from "@playwright/test";
import { hashPassword } from "../lib/auth/password";
import { createDbClient, type Db } from "../lib/db/client";
import { createServer } from "../lib/servers/servers";
import { signInAs } from "./support/sign-in";

/**
 * An admin manages servers and users in the browser: edits a server (a new port clears its host-key pin),
 * rotates its key (generated; the new public key shown), is refused deleting a server an app targets (the
 * message names the app), deletes a free one through the confirmation dialog, and deletes a user.
 */
// Its own admin, so the spec runs alone as well as after 01-foundation's setup.
const admin = { email: "manage-admin@example.test", password: "correct horse battery staple" };
const doomed = { email: "leaving@example.test", password: "leaving password 1" };
const FINGERPRINT = `SHA256:${"C".repeat(43)}`;
let client: Db;
let serverId: string;
let usedServerId: string;

test.beforeAll(async () => {
  client = createDbClient(process.env.DECKHAND_E2E_DATABASE_URL!, 2);
  const passwordHash = await hashPassword(admin.password);
  await client.user.upsert({ where: { email: admin.email }, create: { email: admin.email, role: "admin", passwordHash }, update: { role: "admin", passwordHash, disabled: false } });
  await client.user.upsert({ where: { email: doomed.email }, create: { email: doomed.email, role: "deployer", passwordHash: await hashPassword(doomed.password) }, update: {} });
  const { server } = await createServer(client, { name: "manage-web-1", host: "127.0.0.1", port: 2201, username: "deploy", generateKey: true, hostKeyFingerprint: FINGERPRINT });
  serverId = server.id;
  const used = await createServer(client, { name: "manage-web-2", host: "127.0.0.1", port: 2202, username: "deploy", generateKey: true });
  usedServerId = used.server.id;
  await client.app.create({ data: { name: "manage-shop", repoUrl: "/srv/shop.git", deployPath: "/tmp/deckhand-e2e-manage-shop", targets: { create: { serverId: usedServerId, position: 0 } } } });
});

test.afterAll(async () => {
  await client?.$disconnect();
});

const signIn = (page: Page) => signInAs(page, admin);

test.describe.serial("managing servers and users", () => {
  test("edit a server: a new port clears the host-key pin and says to verify again", async ({ page }) => {
    await signIn(page);
    await page.goto(`/servers/${serverId}`);
    await expect(page.getByText(FINGERPRINT)).toBeVisible();
    const form = page.getByRole("form", { name: "Edit server" });
    await form.getByLabel("Name").fill("manage-web-1b");
    await form.getByLabel("SSH port").fill("2222");
    await form.getByLabel("User").fill("ops");
    await form.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByTestId("server-saved")).toContainText("host key pin was cleared");
    await expect(page.getByRole("heading", { name: "manage-web-1b" })).toBeVisible();
    await expect(page.getByText("ops@127.0.0.1:2222")).toBeVisible();
    await expect(page.getByText("not pinned")).toBeVisible();
    const row = await client.server.findUniqueOrThrow({ where: { id: serverId } });
    expect(row).toMatchObject({ name: "manage-web-1b", port: 2222, username: "ops", hostKeyFingerprint: null, hostKeyStatus: "unpinned" });

    // A bad value is refused with a message naming the field, next to the form.
    await form.getByLabel("Host").fill("bad host!");
    await form.getByRole("button", { name: "Save changes" }).click();
    await expect(form.getByLabel("Host")).toHaveAttribute("aria-invalid", "true");
    await expect(form.getByText("Must be a hostname or an IP address.")).toBeVisible();
  });

  test("rotate its key (generated): the new public key is shown and is the deploy key now", async ({ page }) => {
    await signIn(page);
    await page.goto(`/servers/${serverId}`);
    const before = (await client.server.findUniqueOrThrow({ where: { id: serverId }, select: { sshKey: { select: { publicKey: true } } } })).sshKey.publicKey;
    const form = page.getByRole("form", { name: "Rotate key" });
    await form.getByLabel("Generate a new ed25519 key").check();
    await form.getByRole("button", { name: "Rotate key" }).click();
    const shown = page.getByTestId("rotated-public-key");
    await expect(shown).toContainText("ssh-ed25519 ");
    const after = (await client.server.findUniqueOrThrow({ where: { id: serverId }, select: { sshKey: { select: { publicKey: true } } } })).sshKey.publicKey;
    expect(after).not.toBe(before);
    await expect(shown.locator("code")).toHaveText(after);
    await expect(page.getByText(after, { exact: true }).first()).toBeVisible();
    await page.setViewportSize({ width: 390, height: 900 });
    await page.screenshot({ path: "test-results/e2e/server-manage-390.png", fullPage: true });
  });

  test("a refused delete names the app; a free server is deleted through the confirmation dialog", async ({ page }) => {
    await signIn(page);
    await page.goto(`/servers/${usedServerId}`);
    await page.getByRole("button", { name: "Delete server…" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete manage-web-2?" });
    await expect(dialog).toBeVisible();
    await dialog.getByRole("button", { name: "Delete server" }).click();
    await expect(dialog.getByRole("alert")).toContainText("manage-web-2 is a target of manage-shop");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toBeHidden();
    expect(await client.server.findUnique({ where: { id: usedServerId } })).not.toBeNull();

    await page.goto(`/servers/${serverId}`);
    await page.getByRole("button", { name: "Delete server…" }).click();
    const confirm = page.getByRole("dialog", { name: "Delete manage-web-1b?" });
    // Escape cancels, and nothing is deleted.
    await page.keyboard.press("Escape");
    await expect(confirm).toBeHidden();
    await page.getByRole("button", { name: "Delete server…" }).click();
    await confirm.getByRole("button", { name: "Delete server" }).click();
    await expect(page).toHaveURL(/\/servers$/);
    await expect(page.getByRole("link", { name: "manage-web-1b" })).toHaveCount(0);
    expect(await client.server.findUnique({ where: { id: serverId } })).toBeNull();
    expect(await client.auditEvent.findFirst({ where: { action: "server.delete", targetId: serverId, outcome: "success" } })).not.toBeNull();
  });

  test("delete a user, confirmed; their audit history stays", async ({ page }) => {
    const user = await client.user.findUniqueOrThrow({ where: { email: doomed.email } });
    await signIn(page);
    await page.goto("/settings");
    const rowOf = (email: string) => page.getByRole("row").filter({ has: page.getByRole("cell", { name: email, exact: true }) });
    await expect(rowOf(admin.email).getByRole("button", { name: "Delete", exact: true })).toHaveCount(0);
    await rowOf(doomed.email).getByRole("button", { name: "Delete", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: `Delete ${doomed.email}?` });
    await dialog.getByRole("button", { name: "Delete user" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("cell", { name: doomed.email })).toHaveCount(0);
    expect(await client.user.findUnique({ where: { id: user.id } })).toBeNull();
    expect(await client.auditEvent.findFirst({ where: { action: "user.delete", targetId: user.id, targetName: doomed.email, outcome: "success" } })).not.toBeNull();
  });
});
