import { afterAll, describe, expect, it } from "vitest";
import { api, fakeIp } from "../helpers/http";
import { appDb, makeUser } from "../helpers/app-db";
import { AuthClient } from "../helpers/auth-client";
import { createApiToken } from "../../lib/auth/tokens";
import { setDisabled, setRole } from "../../lib/auth/users";

/** A token never does more than its creator could do now; expiry; last use recorded with its address. */
afterAll(async () => {
  await appDb().$disconnect();
});

async function appWithoutTargets() {
  return appDb().app.create({ data: { name: `tok-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`, repoUrl: "/srv/repo.git", deployPath: "/srv/tok" } });
}

/** A deploy call: 400 ("no target servers") once past the role check, 403 below deployer, 401 for a dead token. */
async function deploy(token: string, appId: string): Promise<number> {
  return (await api(`/api/v1/apps/${appId}/deploys`, token, { method: "POST", body: JSON.stringify({ ref: "main" }) })).status;
}

describe("API tokens are capped by their creator, now", () => {
  it("demoting the creator makes the token's deploy call 403 at once; restoring the role restores it", async () => {
    const creator = await makeUser("admin");
    await makeUser("admin");
    const app = await appWithoutTargets();
    const { token } = await createApiToken(appDb(), { name: "ci-demote", role: "deployer", createdById: creator.id });
    expect(await deploy(token, app.id)).toBe(400);
    await setRole(appDb(), creator.id, "viewer");
    expect(await deploy(token, app.id)).toBe(403);
    expect((await api("/api/v1/apps", token)).status).toBe(200);
    await setRole(appDb(), creator.id, "deployer");
    expect(await deploy(token, app.id)).toBe(400);
    expect(await appDb().deploy.count({ where: { appId: app.id } })).toBe(0);
  });

  it("an admin token of a creator who is now a deployer can deploy but not manage", async () => {
    const creator = await makeUser("admin");
    const { token } = await createApiToken(appDb(), { name: "ci-admin", role: "admin", createdById: creator.id });
    await setRole(appDb(), creator.id, "deployer");
    const res = await api("/api/v1/servers", token, { method: "POST", body: JSON.stringify({ name: "x", host: "127.0.0.1", username: "u", generateKey: true }) });
    expect(res.status).toBe(403);
    expect((await res.json()).error.message).toBe("This needs the admin role; you are deployer");
    expect(await deploy(token, (await appWithoutTargets()).id)).toBe(400);
  });

  it("disabling or deleting the creator makes the token 401; a CLI token (no creator) keeps working", async () => {
    const disabled = await makeUser("deployer");
    const deleted = await makeUser("deployer");
    const a = await createApiToken(appDb(), { name: "ci-disabled", role: "deployer", createdById: disabled.id });
    const b = await createApiToken(appDb(), { name: "ci-deleted", role: "deployer", createdById: deleted.id });
    const cli = await createApiToken(appDb(), { name: "ci-cli", role: "deployer" });
    for (const t of [a, b, cli]) expect((await api("/api/v1/apps", t.token)).status).toBe(200);
    await setDisabled(appDb(), disabled.id, true);
    await appDb().user.delete({ where: { id: deleted.id } });
    expect((await api("/api/v1/apps", a.token)).status).toBe(401);
    expect((await api("/api/v1/apps", b.token)).status).toBe(401);
    expect(await deploy(cli.token, (await appWithoutTargets()).id)).toBe(400);
  });

  it("an expired token is 401; one within its days works", async () => {
    const creator = await makeUser("admin");
    const expired = await createApiToken(appDb(), { name: "ci-expired", role: "viewer", createdById: creator.id, expiresAt: new Date(Date.now() - 1000) });
    const fresh = await createApiToken(appDb(), { name: "ci-fresh", role: "viewer", createdById: creator.id, expiresInDays: 90 });
    expect((await api("/api/v1/apps", expired.token)).status).toBe(401);
    expect((await api("/api/v1/apps", fresh.token)).status).toBe(200);
    expect(fresh.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 89 * 86_400_000);
    await appDb().apiToken.update({ where: { id: fresh.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect((await api("/api/v1/apps", fresh.token)).status).toBe(401);
  });

  it("records when and from where a token was last used, and the settings page shows both", async () => {
    const admin = await makeUser("admin");
    const { id, token } = await createApiToken(appDb(), { name: "ci-seen", role: "viewer", createdById: admin.id });
    const ip = fakeIp();
    expect((await api("/api/v1/apps", token, {}, ip)).status).toBe(200);
    const row = await appDb().apiToken.findUniqueOrThrow({ where: { id } });
    expect(row.lastUsedIp).toBe(ip);
    expect(Date.now() - row.lastUsedAt!.getTime()).toBeLessThan(60_000);
    const ip2 = fakeIp();
    await api("/api/v1/apps", token, {}, ip2);
    expect((await appDb().apiToken.findUniqueOrThrow({ where: { id } })).lastUsedIp).toBe(ip2);
    const browser = new AuthClient();
    expect((await browser.signIn(admin.email, admin.password)).ok).toBe(true);
    const html = await (await browser.fetch("/settings")).text();
    expect(html).toContain(`from ${ip2}`);
  });
});
