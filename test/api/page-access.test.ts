import { describe, expect, it } from "vitest";
import { appDb, makeUser } from "../helpers/app-db";
import { baseUrl, fakeIp, signIn } from "../helpers/http";

/** Pages by role, over HTTP against the built app: a 403 that names the role, and sign-in back to the page asked for. */
describe("page access", () => {
  it("a signed-out visitor is sent to sign in with the page asked for, query included", async () => {
    await makeUser("admin"); // someone exists, else every page leads to the first-run setup
    const res = await fetch(`${baseUrl()}/monitors?range=7d`, { redirect: "manual", headers: { "x-forwarded-for": fakeIp() } });
    expect([303, 307, 308]).toContain(res.status);
    const location = new URL(res.headers.get("location")!, baseUrl());
    expect(location.pathname).toBe("/login");
    expect(location.searchParams.get("callbackUrl")).toBe("/monitors?range=7d");
  });

  it("after sign-in, the login page sends the browser on to that page; a foreign target goes to the overview", async () => {
    const viewer = await makeUser("viewer");
    const { ok, session } = await signIn(viewer.email, viewer.password);
    expect(ok).toBe(true);
    const back = await session.fetch(`/login?callbackUrl=${encodeURIComponent("/monitors?range=7d")}`);
    expect([303, 307, 308]).toContain(back.status);
    expect(new URL(back.headers.get("location")!, baseUrl()).toString()).toBe(new URL("/monitors?range=7d", baseUrl()).toString());
    const foreign = await session.fetch(`/login?callbackUrl=${encodeURIComponent("//evil.example/x")}`);
    expect(new URL(foreign.headers.get("location")!, baseUrl()).toString()).toBe(new URL("/", baseUrl()).toString());
  });

  it("a page above the visitor's role answers 403 and says which role it needs; the right role sees it", async () => {
    const viewer = await makeUser("viewer");
    const deployer = await makeUser("deployer");
    const admin = await makeUser("admin");
    const asViewer = (await signIn(viewer.email, viewer.password)).session;
    const asDeployer = (await signIn(deployer.email, deployer.password)).session;
    const asAdmin = (await signIn(admin.email, admin.password)).session;

    const settings = await asViewer.fetch("/settings");
    expect(settings.status).toBe(403);
    const text = await settings.text();
    expect(text).toContain("Settings needs the admin role");
    expect(text).toContain(viewer.email);

    const newApp = await asDeployer.fetch("/apps/new");
    expect(newApp.status).toBe(403);
    expect(await newApp.text()).toContain("New app needs the admin role");
    const alerts = await asDeployer.fetch("/settings/alerts");
    expect(alerts.status).toBe(403);
    expect(await alerts.text()).toContain("Alert settings needs the admin role");

    for (const path of ["/settings", "/apps/new", "/settings/alerts"]) expect((await asAdmin.fetch(path)).status, path).toBe(200);
    // Not a hidden page: an unknown one is still a 404.
    expect((await asViewer.fetch("/no-such-page")).status).toBe(404);
  });

  it("an unknown app, deploy, monitor or server answers 404 with the not-found page, not a 200 that streams it", async () => {
    const viewer = await makeUser("viewer");
    const asViewer = (await signIn(viewer.email, viewer.password)).session;
    const app = await appDb().app.create({ data: { name: `pa-${Date.now().toString(36)}`, repoUrl: "/nowhere.git", deployPath: "/srv/nowhere" }, select: { id: true } });
    for (const path of ["/apps/no-such-app", `/apps/${app.id}/deploys/no-such-deploy`, "/apps/no-such-app/deploys/no-such-deploy", "/monitors/no-such-monitor", "/servers/no-such-server"]) {
      const res = await asViewer.fetch(path);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).toContain("There is nothing here");
    }
    expect((await asViewer.fetch(`/apps/${app.id}`)).status).toBe(200);
    await appDb().app.delete({ where: { id: app.id } });
  });
});
