import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/db/client";
import { hashPassword } from "../../lib/auth/password";
import { AuthClient, OwnApp } from "../helpers/auth-client";

/**
 * An app of its own with short limits (3 s idle, 9 s in all) and an https public URL, on this file's
 * database: sessions end when unused, end at their lifetime however used, and cookies are Secure.
 */
const PUBLIC_URL = "https://deckhand.test";
const app = new OwnApp({ DECKHAND_SESSION_IDLE_MINUTES: "0.05", DECKHAND_SESSION_MAX_AGE_HOURS: "0.0025", DECKHAND_PUBLIC_URL: PUBLIC_URL });
const password = "correct horse battery";
let email = "";

beforeAll(async () => {
  await app.start();
  email = (await db().user.create({ data: { email: "limits@example.test", role: "deployer", passwordHash: await hashPassword(password) } })).email;
}, 240_000);
afterAll(async () => {
  await app.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const apiStatus = async (c: AuthClient) => (await c.fetch("/api/v1/apps")).status;

describe("session limits from the environment", () => {
  it("sets Secure, prefixed cookies when the public URL is https", async () => {
    const client = new AuthClient(app.url, undefined, PUBLIC_URL);
    expect((await client.signIn(email, password)).ok).toBe(true);
    expect(client.sessionCookie()?.name).toBe("__Secure-next-auth.session-token");
    // A client with no cookie yet is given the CSRF cookie, __Host- prefixed and Secure.
    const fresh = new AuthClient(app.url, undefined, PUBLIC_URL);
    const res = await fresh.fetch("/api/auth/csrf");
    expect(res.headers.getSetCookie().join("\n")).toMatch(/__Host-next-auth\.csrf-token=[^;]*;.*Secure/i);
    const csrf = (await res.json()) as { csrfToken: string };
    const signedIn = await fresh.fetch("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken: csrf.csrfToken, email, password, callbackUrl: "/", json: "true" }),
    });
    const cookie = signedIn.headers.getSetCookie().find((l) => l.startsWith("__Secure-next-auth.session-token="));
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
  });

  it("a session unused for longer than the idle limit ends", async () => {
    const client = new AuthClient(app.url, undefined, PUBLIC_URL);
    await client.signIn(email, password);
    expect(await apiStatus(client)).toBe(200);
    await sleep(4_000);
    expect(await apiStatus(client)).toBe(401);
    const row = await db().session.findFirstOrThrow({ where: { ip: client.ip } });
    expect(row.endReason).toBe("idle");
  });

  it("use keeps a session past the idle limit, but not past its lifetime", async () => {
    const client = new AuthClient(app.url, undefined, PUBLIC_URL);
    await client.signIn(email, password);
    const started = Date.now();
    const seen: { at: number; status: number }[] = [];
    while (Date.now() - started < 12_000) {
      seen.push({ at: Date.now() - started, status: await apiStatus(client) });
      await sleep(700);
    }
    // Alive well past 3 s idle (it was used), dead from 9 s on, whatever the use.
    expect(seen.filter((s) => s.at < 7_000).every((s) => s.status === 200)).toBe(true);
    expect(seen.filter((s) => s.at > 9_500).every((s) => s.status === 401)).toBe(true);
    const row = await db().session.findFirstOrThrow({ where: { ip: client.ip } });
    expect(row.endReason).toBe("lifetime");
  });
});
