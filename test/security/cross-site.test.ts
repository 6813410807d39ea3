import type { Browser } from "@playwright/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "../../lib/auth/tokens";
import { startHttpServer, type TestHttpServer } from "../../lib/net/testing/servers";
import { appDb, makeUser } from "../helpers/app-db";
import { api, baseUrl, fakeIp, signIn, type Session } from "../helpers/http";
import { launchChromium, signedInContext } from "./support/browser";

/**
 * Cross-site requests against the built app: an admin signed in with a browser visits a page served by another
 * origin on loopback (another port of the same host: a *sibling* origin, which SameSite cookies do not tell
 * apart, like an app Deckhand itself deploys). Its form posts and fetches carry the admin's cookie, and are
 * refused before they reach Next; nothing changes. Bearer-token requests are not affected.
 */
let browser: Browser;
let attacker: TestHttpServer;
let attackerPage = "";
let admin: Session;
let token = "";

const monitorBody = (name: string) => ({ name, type: "http", url: "http://127.0.0.1:9/", intervalSeconds: 60 });
const monitorNamed = (name: string) => appDb().monitor.findFirst({ where: { name } });

beforeAll(async () => {
  const user = await makeUser("admin");
  const signed = await signIn(user.email, user.password);
  expect(signed.ok).toBe(true);
  admin = signed.session;
  token = (await createApiToken(appDb(), { name: `xsite-${Date.now()}`, role: "admin" })).token;
  attacker = await startHttpServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(attackerPage);
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await attacker?.close();
  await appDb().$disconnect();
});

/** Serves `html` from the attacker's origin and opens it in the signed-in admin's browser. */
async function visitAttacker(html: string) {
  attackerPage = html;
  const context = await signedInContext(browser, admin);
  const page = await context.newPage();
  return { context, page };
}

describe("cross-site requests from a sibling origin in Chromium", () => {
  it("a cross-site form posting JSON as text/plain to the API is refused with 403 and creates nothing", async () => {
    const name = `xsite-form-${Date.now()}`;
    // The classic JSON-by-form trick: the form's one field is the JSON text up to an '=' that lands in a junk key.
    const json = JSON.stringify(monitorBody(name)).slice(0, -1) + ',"x":"';
    const { context, page } = await visitAttacker(`<form method="POST" action="${baseUrl()}/api/v1/monitors" enctype="text/plain"><input name='${json}' value='"}'></form><script>document.forms[0].submit()</script>`);
    const answer = page.waitForResponse((r) => r.url() === `${baseUrl()}/api/v1/monitors`);
    await page.goto(attacker.url);
    const res = await answer;
    expect(res.status()).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("cross_site");
    expect(await monitorNamed(name)).toBeNull();
    await context.close();
  });

  it("a cross-origin fetch with credentials (no-cors, so no preflight) is refused and creates nothing", async () => {
    const name = `xsite-fetch-${Date.now()}`;
    const { context, page } = await visitAttacker(
      `<script>fetch(${JSON.stringify(`${baseUrl()}/api/v1/monitors`)}, { method: "POST", mode: "no-cors", credentials: "include", headers: { "content-type": "text/plain" }, body: ${JSON.stringify(JSON.stringify(monitorBody(name)))} }).then(() => document.title = "sent", () => document.title = "failed")</script>`,
    );
    const answer = page.waitForResponse((r) => r.url() === `${baseUrl()}/api/v1/monitors`);
    await page.goto(attacker.url);
    expect((await answer).status()).toBe(403);
    await expect.poll(() => page.title()).toBe("sent");
    expect(await monitorNamed(name)).toBeNull();
    await context.close();
  });

  it("a cross-site form post to a page (how a server action arrives without JavaScript) and to sign-out are refused", async () => {
    for (const target of ["/monitors", "/api/auth/signout"]) {
      const { context, page } = await visitAttacker(
        `<form method="POST" action="${baseUrl()}${target}" enctype="multipart/form-data"><input name="$ACTION_ID_0000" value=""><input name="csrfToken" value="x"></form><script>document.forms[0].submit()</script>`,
      );
      const answer = page.waitForResponse((r) => r.url() === `${baseUrl()}${target}` && r.request().method() === "POST");
      await page.goto(attacker.url);
      expect((await answer).status(), target).toBe(403);
      await context.close();
    }
    // Still signed in: the sign-out post never reached next-auth.
    const session = (await (await admin.fetch("/api/auth/session")).json()) as { user?: { email?: string } };
    expect(session.user?.email).toBeTruthy();
  });
});

describe("the origin rule over HTTP", () => {
  const create = (headers: Record<string, string>, name: string) => admin.fetch("/api/v1/monitors", { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(monitorBody(name)) });

  it("takes a cookie change from Deckhand's own origin, and refuses a sibling port, another host, `null` and a same-site Sec-Fetch-Site", async () => {
    const own = `xsite-own-${Date.now()}`;
    expect((await create({}, own)).status).toBe(201);
    const port = new URL(baseUrl()).port;
    for (const origin of [`http://127.0.0.1:${Number(port) + 1}`, `http://localhost:${port}`, "https://127.0.0.1", "null"]) {
      const name = `xsite-origin-${Date.now()}`;
      const res = await create({ origin }, name);
      expect(res.status, origin).toBe(403);
      expect(await monitorNamed(name)).toBeNull();
    }
    // No Origin: Sec-Fetch-Site decides; with neither, a request carrying cookies is refused.
    const noOrigin = async (extra: Record<string, string>) => {
      const res = await fetch(`${baseUrl()}/api/v1/monitors`, {
        method: "POST",
        headers: { cookie: admin.cookie, "x-forwarded-for": admin.ip, "content-type": "application/json", ...extra },
        body: JSON.stringify(monitorBody(`xsite-sfs-${Date.now()}`)),
      });
      return res.status;
    };
    expect(await noOrigin({ "sec-fetch-site": "same-site" })).toBe(403);
    expect(await noOrigin({ "sec-fetch-site": "cross-site" })).toBe(403);
    expect(await noOrigin({})).toBe(403);
    expect(await noOrigin({ "sec-fetch-site": "same-origin" })).toBe(201);
  });

  it("leaves bearer-token requests alone, whatever Origin they carry", async () => {
    const res = await api("/api/v1/monitors", token, { method: "POST", headers: { origin: "https://elsewhere.example" }, body: JSON.stringify(monitorBody(`xsite-bearer-${Date.now()}`)) });
    expect(res.status).toBe(201);
  });

  it("refuses an API body that is not application/json with 415, even with a token", async () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const name = `xsite-type-${Date.now()}`;
      const res = await api("/api/v1/monitors", token, { method: "POST", headers: { "content-type": type }, body: JSON.stringify(monitorBody(name)) });
      expect(res.status, type).toBe(415);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("unsupported_media_type");
      expect(await monitorNamed(name)).toBeNull();
    }
    expect((await api("/api/v1/monitors", token, { method: "POST", headers: { "content-type": "Application/JSON; charset=utf-8" }, body: JSON.stringify(monitorBody(`xsite-ok-${Date.now()}`)) })).status).toBe(201);
  });

  it("never feeds a query parameter into a change: only the body and the path do", async () => {
    const name = `xsite-query-${Date.now()}`;
    const q = new URLSearchParams({ name, type: "http", url: "http://127.0.0.1:9/", intervalSeconds: "60" });
    const res = await api(`/api/v1/monitors?${q}`, token, { method: "POST", body: "{}" }, fakeIp());
    expect(res.status).toBe(400);
    expect(await monitorNamed(name)).toBeNull();
  });
});
