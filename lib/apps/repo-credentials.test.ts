import { describe, expect, it } from "vitest";
import { db } from "../db/client";
import type { Principal } from "../auth/roles";
import { createAppAction, updateAppAction } from "../actions/apps";
import { runAction } from "../actions/core";
import { getApp, listApps } from "../queries/apps";
import { loadDeployableApp } from "./deployable";
import { sealPlainRepoCredentials } from "./repo-credentials";

const admin: Principal = { kind: "token", id: "t-admin", name: "admin", role: "admin" };
const meta = { ip: null, userAgent: null };
const TOKEN = "ghp_RepoToken0123456789";

async function auditText(): Promise<string> {
  return JSON.stringify(await db().auditEvent.findMany(), (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v));
}

describe("repository URL credentials are sealed", () => {
  it("stores the credential encrypted, shows *** everywhere, and deploys with the real URL", async () => {
    const app = await runAction(createAppAction, admin, { name: "rc-shop", repoUrl: `https://ci:${TOKEN}@git.example.com/org/shop.git`, deployPath: "/srv/rc-shop", env: { API_KEY: "value-of-api-key" } }, meta);
    expect(app.repoUrl).toBe("https://ci:***@git.example.com/org/shop.git");
    const row = await db().app.findUniqueOrThrow({ where: { id: app.id }, omit: { encryptedRepoCredential: false } });
    expect(row.repoUrl).toBe("https://ci:***@git.example.com/org/shop.git");
    expect(row.encryptedRepoCredential).toMatch(/^v1\./);
    expect(row.encryptedRepoCredential).not.toContain(TOKEN);
    expect((await getApp(app.id)).repoUrl).not.toContain(TOKEN);
    expect(JSON.stringify(await listApps())).not.toContain(TOKEN);
    expect(await auditText()).not.toContain(TOKEN);
    expect(await auditText()).not.toContain("value-of-api-key");

    const deployable = await loadDeployableApp(app.id);
    expect(deployable.repoUrl).toBe(`https://ci:${TOKEN}@git.example.com/org/shop.git`);
    expect(deployable.shownRepoUrl).toBe("https://ci:***@git.example.com/org/shop.git");
    expect(deployable.secretValues).toEqual(expect.arrayContaining([TOKEN, "value-of-api-key"]));

    // saving the form as shown (with ***) keeps the credential; a new one replaces it; none clears it
    await runAction(updateAppAction, admin, { appId: app.id, repoUrl: "https://ci:***@git.example.com/org/shop.git", keepReleases: 7 }, meta);
    expect((await loadDeployableApp(app.id)).repoUrl).toBe(`https://ci:${TOKEN}@git.example.com/org/shop.git`);
    await runAction(updateAppAction, admin, { appId: app.id, repoUrl: "https://ci:***@git.example.com/org/moved.git" }, meta);
    expect((await loadDeployableApp(app.id)).repoUrl).toBe(`https://ci:${TOKEN}@git.example.com/org/moved.git`);
    await runAction(updateAppAction, admin, { appId: app.id, repoUrl: "https://other-token-99@git.example.com/org/shop.git" }, meta);
    expect((await loadDeployableApp(app.id)).repoUrl).toBe("https://other-token-99@git.example.com/org/shop.git");
    expect((await getApp(app.id)).repoUrl).toBe("https://***@git.example.com/org/shop.git");
    await runAction(updateAppAction, admin, { appId: app.id, repoUrl: "git@git.example.com:org/shop.git" }, meta);
    const plain = await db().app.findUniqueOrThrow({ where: { id: app.id }, omit: { encryptedRepoCredential: false } });
    expect(plain).toMatchObject({ repoUrl: "git@git.example.com:org/shop.git", encryptedRepoCredential: null });
    expect(await auditText()).not.toContain(TOKEN);
    expect(await auditText()).not.toContain("other-token-99");
  });

  it("refuses *** where no credential is stored", async () => {
    await expect(runAction(createAppAction, admin, { name: "rc-none", repoUrl: "https://u:***@h.example/r.git", deployPath: "/srv/rc-none" }, meta)).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining("repoUrl: *** stands for a stored credential"),
    });
  });

  it("seals URLs stored in plain text before the migration, masking them on every read until then", async () => {
    const legacy = await db().app.create({ data: { name: "rc-legacy", repoUrl: `https://bot:${TOKEN}x@git.example.com/org/legacy.git`, deployPath: "/srv/rc-legacy" } });
    expect((await getApp(legacy.id)).repoUrl).toBe("https://bot:***@git.example.com/org/legacy.git");
    expect(JSON.stringify(await listApps())).not.toContain(`${TOKEN}x`);
    expect((await loadDeployableApp(legacy.id)).repoUrl).toBe(`https://bot:${TOKEN}x@git.example.com/org/legacy.git`);
    // an update's audit event shows it masked too
    await runAction(updateAppAction, admin, { appId: legacy.id, buildCommand: "make" }, meta);
    expect(await auditText()).not.toContain(`${TOKEN}x`);
    // saving the form as shown (***) keeps a legacy credential, and seals it
    const other = await db().app.create({ data: { name: "rc-legacy-2", repoUrl: "https://bot:legacy-secret-2@git.example.com/org/l2.git", deployPath: "/srv/rc-legacy-2" } });
    await runAction(updateAppAction, admin, { appId: other.id, repoUrl: "https://bot:***@git.example.com/org/l2.git" }, meta);
    expect((await loadDeployableApp(other.id)).repoUrl).toBe("https://bot:legacy-secret-2@git.example.com/org/l2.git");
    expect((await db().app.findUniqueOrThrow({ where: { id: other.id } })).repoUrl).toBe("https://bot:***@git.example.com/org/l2.git");

    expect(await sealPlainRepoCredentials(db())).toBeGreaterThanOrEqual(1);
    expect(await sealPlainRepoCredentials(db())).toBe(0);
    const row = await db().app.findUniqueOrThrow({ where: { id: legacy.id }, omit: { encryptedRepoCredential: false } });
    expect(row.repoUrl).toBe("https://bot:***@git.example.com/org/legacy.git");
    expect(row.encryptedRepoCredential).toMatch(/^v1\./);
    expect((await loadDeployableApp(legacy.id)).repoUrl).toBe(`https://bot:${TOKEN}x@git.example.com/org/legacy.git`);
  });
});
