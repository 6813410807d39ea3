import type { Browser, Page } from "@playwright/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "../../lib/auth/tokens";
import { startHttpServer, type TestHttpServer } from "../../lib/net/testing/servers";
import { appDb, makeUser } from "../helpers/app-db";
import { api, baseUrl, fakeIp, signIn, type Session } from "../helpers/http";
import { launchChromium, signedInContext } from "./support/browser";

/**
 * The security headers on every kind of response of the built app (pages, API, static files, 404s, refusals),
 * the script nonce Next.js puts on its scripts, and in Chromium: every page renders and runs under the policy
 * with no console error, and the signed-in app refuses to render inside another origin's frame.
 */
let browser: Browser;
let admin: Session;
let other: TestHttpServer;
let framingPage = "";
let monitorId = "";

beforeAll(async () => {
  const user = await makeUser("admin");
  const signed = await signIn(user.email, user.password);
  expect(signed.ok).toBe(true);
  admin = signed.session;
  const token = (await createApiToken(appDb(), { name: `headers-${Date.now()}`, role: "admin" })).token;
  const res = await api("/api/v1/monitors", token, { method: "POST", body: JSON.stringify({ name: `headers-${Date.now()}`, type: "tcp", host: "127.0.0.1", port: 9, intervalSeconds: 60 }) }, fakeIp());
  expect(res.status).toBe(201);
  monitorId = ((await res.json()) as { id: string }).id;
  other = await startHttpServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(framingPage);
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await other?.close();
  await appDb().$disconnect();
});

function nonceOf(csp: string): string {
  const m = /script-src[^;]*'nonce-([^']+)'/.exec(csp);
  expect(m, csp).not.toBeNull();
  return m![1]!;
}

function expectSecurityHeaders(res: Response, what: string): void {
  const csp = res.headers.get("content-security-policy") ?? "";
  for (const directive of ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'", "default-src 'self'", "'strict-dynamic'"]) expect(csp, `${what}: ${directive}`).toContain(directive);
  expect(csp, what).not.toContain("unsafe-eval");
  expect(csp, what).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  nonceOf(csp);
  expect(res.headers.get("x-frame-options"), what).toBe("DENY");
  expect(res.headers.get("x-content-type-options"), what).toBe("nosniff");
  expect(res.headers.get("referrer-policy"), what).toBe("same-origin");
  expect(res.headers.get("permissions-policy"), what).toMatch(/camera=\(\).*geolocation=\(\).*microphone=\(\)/);
  // Plain HTTP, no DECKHAND_PUBLIC_URL: no HSTS (a browser ignores it over HTTP anyway).
  expect(res.headers.get("strict-transport-security"), what).toBeNull();
}

describe("security headers", () => {
  it("are on pages, the API, static files, 404s and refusals, with a fresh nonce Next puts on every script", async () => {
    const page = await fetch(`${baseUrl()}/login`);
    expect(page.status).toBe(200);
    expectSecurityHeaders(page, "page");
    const html = await page.text();
    const nonce = nonceOf(page.headers.get("content-security-policy")!);
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(1);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    const again = await fetch(`${baseUrl()}/login`);
    expect(nonceOf(again.headers.get("content-security-policy")!)).not.toBe(nonce);

    const chunk = /src="(\/_next\/static\/[^"]+\.js)"/.exec(html)?.[1];
    expect(chunk).toBeDefined();
    const staticFile = await fetch(`${baseUrl()}${chunk}`);
    expect(staticFile.status).toBe(200);
    expectSecurityHeaders(staticFile, "static file");

    expectSecurityHeaders(await fetch(`${baseUrl()}/api/health`), "API");
    expectSecurityHeaders(await admin.fetch("/api/v1/monitors"), "signed-in API");
    const missing = await admin.fetch("/no-such-page");
    expect(missing.status).toBe(404);
    expectSecurityHeaders(missing, "404 page");
    const refused = await admin.fetch("/api/v1/monitors", { method: "POST", headers: { origin: "http://evil.example", "content-type": "application/json" }, body: "{}" });
    expect(refused.status).toBe(403);
    expectSecurityHeaders(refused, "refusal");
  });
});

/** Opens `path`, recording console errors and CSP violations; resolves once Next's client has started. */
async function visit(page: Page, path: string): Promise<string[]> {
  const problems: string[] = [];
  const onConsole = (m: { type(): string; text(): string; location(): { url: string } }) => {
    if (m.type() === "error") problems.push(`console: ${m.text()} (${m.location().url})`);
  };
  const onError = (e: Error) => problems.push(`pageerror: ${e.message}`);
  page.on("console", onConsole);
  page.on("pageerror", onError);
  const res = await page.goto(`${baseUrl()}${path}`);
  expect(res?.status(), path).toBeLessThan(400);
  // window.next is set by Next's own client script: the nonced scripts ran, and the chunks they loaded.
  await page.waitForFunction(() => (window as unknown as { next?: { version?: string } }).next?.version !== undefined, undefined, { timeout: 15_000 });
  await page.waitForLoadState("networkidle");
  const violations = await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
  page.off("console", onConsole);
  page.off("pageerror", onError);
  return [...problems, ...violations.map((v) => `csp: ${v}`)];
}

describe("in Chromium under the policy", () => {
  it("every page renders and runs with no console error and no CSP violation", async () => {
    const context = await signedInContext(browser, admin);
    await context.addInitScript(() => {
      const w = window as unknown as { __violations: string[] };
      w.__violations = [];
      document.addEventListener("securitypolicyviolation", (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const page = await context.newPage();
    for (const path of ["/", "/apps", "/apps/new", "/servers", "/monitors", `/monitors/${monitorId}`, "/monitors/channels", "/audit", "/settings", "/api-docs"]) {
      const problems = await visit(page, path);
      expect(problems.join("\n"), path).toBe("");
    }
    // The chart (recharts) drew under the policy.
    await page.goto(`${baseUrl()}/monitors/${monitorId}`);
    await expect.poll(() => page.locator("svg").count()).toBeGreaterThan(0);
    await context.close();

    const anonymous = await browser.newContext();
    await anonymous.addInitScript(() => {
      const w = window as unknown as { __violations: string[] };
      w.__violations = [];
      document.addEventListener("securitypolicyviolation", (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    expect((await visit(await anonymous.newPage(), "/login")).join("\n"), "/login").toBe("");
    await anonymous.close();
  });

  it("the signed-in app refuses to render inside another origin's frame", async () => {
    framingPage = `<!doctype html><title>framer</title><iframe id="f" src="${baseUrl()}/" width="800" height="600"></iframe>`;
    const context = await signedInContext(browser, admin);
    const page = await context.newPage();
    const messages: string[] = [];
    page.on("console", (m) => messages.push(m.text()));
    const framed = page.waitForResponse((r) => r.url() === `${baseUrl()}/`);
    await page.goto(other.url);
    const res = await framed;
    // The server answered (the cookie went along) but the browser would not show it.
    expect(res.headers()["x-frame-options"]).toBe("DENY");
    await expect.poll(() => messages.some((m) => m.includes("frame-ancestors"))).toBe(true);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    expect(frame).toBeDefined();
    const rendered = await frame!.evaluate(() => document.body?.innerText ?? "").catch(() => "");
    expect(rendered).not.toMatch(/Deckhand|Monitors|Deploy/);
    await context.close();
  });
});
