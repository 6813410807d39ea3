import { afterAll, describe, expect, it } from "vitest";
import { api, baseUrl, fakeIp, signIn } from "../helpers/http";
import { appDb, makeUser } from "../helpers/app-db";
import { createApiToken } from "../../lib/auth/tokens";
import { setPassword, setRole, setDisabled } from "../../lib/auth/users";

/** Against the real app (next start + worker) the test runner started, over HTTP. */
afterAll(async () => {
  await appDb().$disconnect();
});

describe("sign-in and sessions", () => {
  it("signs in, reaches a page, and a wrong password gets the same message as an unknown email", async () => {
    const user = await makeUser("viewer");
    const ok = await signIn(user.email, user.password);
    expect(ok.ok).toBe(true);
    const page = await ok.session.fetch("/");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(user.email);

    const wrong = await signIn(user.email, "not the password");
    const unknown = await signIn(`nobody-${Date.now()}@example.test`, "whatever password");
    expect(wrong.ok).toBe(false);
    expect(wrong.error).toBe("Email or password is incorrect");
    expect(unknown.error).toBe(wrong.error);
  });

  it("without a session, pages redirect to sign-in and the API answers 401 as JSON", async () => {
    const page = await fetch(`${baseUrl()}/apps`, { redirect: "manual" });
    expect([302, 303, 307, 308]).toContain(page.status);
    expect(page.headers.get("location")).toMatch(/\/login/);
    const res = await fetch(`${baseUrl()}/api/v1/apps`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: "unauthenticated", message: expect.any(String) } });
  });

  for (const [change, apply] of [
    ["password change", (id: string) => setPassword(appDb(), id, "a brand new password")],
    ["role change", (id: string) => setRole(appDb(), id, "viewer")],
    ["disable", (id: string) => setDisabled(appDb(), id, true)],
  ] as const) {
    it(`ends existing sessions on ${change}`, async () => {
      const user = await makeUser("deployer");
      const { session } = await signIn(user.email, user.password);
      expect((await session.fetch("/api/v1/apps")).status).toBe(200);
      await apply(user.id);
      expect((await session.fetch("/api/v1/apps")).status).toBe(401);
      const page = await session.fetch("/");
      expect(page.headers.get("location")).toMatch(/\/login/);
    });
  }

  it("rate-limits failed sign-ins per account, with a clear message, even for the right password", async () => {
    const user = await makeUser("viewer");
    for (let i = 0; i < 5; i++) {
      const r = await signIn(user.email, `wrong-${i}`, fakeIp());
      expect(r.error).toBe("Email or password is incorrect");
    }
    const blocked = await signIn(user.email, user.password, fakeIp());
    expect(blocked.ok).toBe(false);
    expect(blocked.error).toMatch(/Too many failed sign-in attempts\. Try again in \d+ minutes?\./);
  });

  it("rate-limits failed sign-ins per IP across accounts", async () => {
    const ip = fakeIp();
    for (let i = 0; i < 20; i++) await signIn(`spray-${i}-${Date.now()}@example.test`, "guess guess", ip);
    const user = await makeUser("viewer");
    const blocked = await signIn(user.email, user.password, ip);
    expect(blocked.error).toMatch(/Too many failed sign-in attempts/);
    const elsewhere = await signIn(user.email, user.password, fakeIp());
    expect(elsewhere.ok).toBe(true);
  });
});

describe("API tokens and roles", () => {
  it("a token authenticates, is checked against its role, and stops working once revoked", async () => {
    const admin = await createApiToken(appDb(), { name: "t-admin", role: "admin" });
    const viewer = await createApiToken(appDb(), { name: "t-viewer", role: "viewer" });
    expect((await api("/api/v1/apps", viewer.token)).status).toBe(200);

    // viewer → 403 on a deployer action, as JSON, and the refusal is audited
    const app = await appDb().app.create({ data: { name: `roles-${Date.now()}`, repoUrl: "/srv/repo.git", deployPath: "/srv/roles" } });
    const denied = await api(`/api/v1/apps/${app.id}/deploys`, viewer.token, { method: "POST", body: JSON.stringify({ ref: "main" }) });
    expect(denied.status).toBe(403);
    expect((await denied.json()).error.code).toBe("forbidden");
    const event = await appDb().auditEvent.findFirst({ where: { action: "deploy.start", actorId: viewer.id }, orderBy: { id: "desc" } });
    expect(event?.outcome).toBe("denied");
    expect(await appDb().deploy.count({ where: { appId: app.id } })).toBe(0);

    // an admin token passes the role check (and gets the app's own validation error: no targets)
    const allowed = await api(`/api/v1/apps/${app.id}/deploys`, admin.token, { method: "POST", body: JSON.stringify({ ref: "main" }) });
    expect(allowed.status).toBe(400);
    expect((await allowed.json()).error.message).toMatch(/no target servers/);

    await appDb().apiToken.update({ where: { id: viewer.id }, data: { revokedAt: new Date() } });
    expect((await api("/api/v1/apps", viewer.token)).status).toBe(401);
    expect((await api("/api/v1/apps", "dh_not-a-real-token")).status).toBe(401);
  });

  it("maps errors to JSON with the right status: 400 bad input, 404 unknown id", async () => {
    const admin = await createApiToken(appDb(), { name: "t-errors", role: "admin" });
    const bad = await api("/api/v1/servers", admin.token, { method: "POST", body: "{not json" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/not valid JSON/);
    const invalid = await api("/api/v1/servers", admin.token, { method: "POST", body: JSON.stringify({ name: "x", host: "bad host!", username: "root", generateKey: true }) });
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).error.message).toMatch(/^host: must be a hostname or an IP address/);
    const missing = await api("/api/v1/deploys/does-not-exist", admin.token);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: "not_found", message: "Deploy not found" } });
  });
});

describe("operations", () => {
  it("GET /api/health checks the database and carries a request id", async () => {
    const res = await fetch(`${baseUrl()}/api/health`);
    expect(res.status).toBe(200);
    // npm start runs a worker beside the web app: the answer says it is alive.
    expect(await res.json()).toEqual({ status: "ok", db: "ok", worker: "ok" });
    expect(res.headers.get("x-request-id")).toMatch(/[0-9a-f-]{36}/);
  });
});
