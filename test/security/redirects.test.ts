import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "@playwright/test";
import { baseUrl, fakeIp } from "../helpers/http";
import { appDb, makeUser } from "../helpers/app-db";
import { AuthClient, browserContext, launchChromium } from "../helpers/auth-client";

/** After sign-in the browser only ever lands on Deckhand, whatever callbackUrl an attacker wrote into a link. */
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await appDb().$disconnect();
});

const port = () => new URL(baseUrl()).port;
const otherPort = () => String(Number(port()) + 1);

const HOSTILE = () => [
  "//evil.example",
  "/\\evil.example",
  "https://evil.example",
  "/%2F%2Fevil.example",
  "\\\\evil",
  "javascript:alert(1)",
  `http://127.0.0.1:${otherPort()}/`,
  "/\t/evil.example",
  "/\n/evil.example",
  "//evil.example/%2e%2e",
  `http://127.0.0.1:${port()}@evil.example/`,
];

/** Deckhand's own origin: the one the test reaches, or the NEXTAUTH_URL the app names itself by (localhost). */
function onDeckhand(url: string): boolean {
  const u = new URL(url, baseUrl());
  return u.port === port() && (u.hostname === "127.0.0.1" || u.hostname === "localhost") && (u.protocol === "http:" || u.protocol === "https:");
}

describe("redirects after sign-in", () => {
  it("next-auth's own answers (JSON and redirect) never point off Deckhand", async () => {
    const user = await makeUser("viewer");
    for (const raw of HOSTILE()) {
      const client = new AuthClient();
      const { ok, url } = await client.signIn(user.email, user.password, raw);
      expect(ok, raw).toBe(true);
      expect(onDeckhand(url!), `${JSON.stringify(raw)} → ${url}`).toBe(true);
      expect(new URL(url!).pathname.startsWith("//"), raw).toBe(false);

      // Without json=true, next-auth answers the form post with a redirect.
      const again = new AuthClient();
      const csrf = (await (await again.fetch("/api/auth/csrf")).json()) as { csrfToken: string };
      const res = await again.fetch("/api/auth/callback/credentials", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ csrfToken: csrf.csrfToken, email: user.email, password: user.password, callbackUrl: raw }),
      });
      expect([302, 303, 307]).toContain(res.status);
      expect(onDeckhand(res.headers.get("location")!), `${JSON.stringify(raw)} → ${res.headers.get("location")}`).toBe(true);

      // Signed in, /login?callbackUrl=… sends the browser on: only to a path here.
      const page = await client.fetch(`/login?callbackUrl=${encodeURIComponent(raw)}`);
      expect([302, 303, 307, 308]).toContain(page.status);
      const location = page.headers.get("location")!;
      expect(location.startsWith("/") && !location.startsWith("//") && !location.startsWith("/\\"), `${JSON.stringify(raw)} → ${location}`).toBe(true);
    }
  });

  it("in Chromium, signing in from a link with a hostile callbackUrl lands on Deckhand; a good one lands where it says", async () => {
    const user = await makeUser("viewer");
    const context = await browserContext(browser, baseUrl(), fakeIp());
    for (const raw of [...HOSTILE(), "/servers"]) {
      await context.clearCookies();
      const page = await context.newPage();
      await page.goto(`/login?callbackUrl=${encodeURIComponent(raw)}`);
      await page.getByLabel("Email").fill(user.email);
      await page.getByLabel("Password").fill(user.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL((u) => !u.pathname.startsWith("/login"), { timeout: 15_000 }).catch(() => undefined);
      await page.waitForLoadState("networkidle");
      expect(onDeckhand(page.url()), `${JSON.stringify(raw)} → ${page.url()}`).toBe(true);
      const landed = new URL(page.url()).pathname;
      if (raw === "/servers") expect(landed).toBe("/servers");
      // A path of Deckhand's own that merely spells "evil" (an encoded slash is not a slash) is a 404 here.
      else if (raw.startsWith("/%2F")) expect(landed).toBe("/%2F%2Fevil.example");
      else expect(landed, JSON.stringify(raw)).toBe("/");
      await page.close();
    }
    await context.close();
  });
});
