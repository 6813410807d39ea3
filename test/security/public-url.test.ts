import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "../../lib/auth/tokens";
import { appDb } from "../helpers/app-db";
import { freePort } from "../harness/ports";

/**
 * DECKHAND_PUBLIC_URL=https://…: a second built web process on the API app's database (web processes share
 * one Postgres), as behind a TLS-terminating proxy. The public URL is Deckhand's origin for the cross-site
 * rule (its own loopback address is then foreign), HSTS is on and next-auth's cookies are Secure.
 */
const root = path.resolve(import.meta.dirname, "../..");
const PUBLIC = "https://deckhand.example.test";
let web: ChildProcess | undefined;
let url = "";
let token = "";

beforeAll(async () => {
  token = (await createApiToken(appDb(), { name: `public-url-${Date.now()}`, role: "admin" })).token;
  const port = await freePort();
  web = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts/web-server.ts")], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: process.env.DECKHAND_TEST_APP_DATABASE_URL, PORT: String(port), DECKHAND_HOST: "127.0.0.1", NODE_ENV: "production", DECKHAND_PUBLIC_URL: PUBLIC, NEXTAUTH_URL: PUBLIC },
    stdio: "ignore",
  });
  url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (
    (await fetch(`${url}/api/health`)
      .then((r) => r.status)
      .catch(() => 0)) !== 200
  ) {
    if (Date.now() > deadline) throw new Error("the second web process did not come up");
    await new Promise((r) => setTimeout(r, 300));
  }
}, 90_000);
afterAll(async () => {
  web?.kill("SIGTERM");
  await appDb().$disconnect();
});

describe("DECKHAND_PUBLIC_URL=https://…", () => {
  it("sends HSTS and Secure, __Host-/__Secure- prefixed session cookies", async () => {
    const res = await fetch(`${url}/api/auth/csrf`);
    expect(res.headers.get("strict-transport-security")).toBe("max-age=31536000");
    const cookies = res.headers.getSetCookie();
    expect(cookies.length).toBeGreaterThan(0);
    for (const c of cookies) {
      expect(c).toMatch(/^__(Host|Secure)-next-auth\./);
      expect(c).toMatch(/;\s*Secure/i);
    }
  });

  it("takes a cookie change only from the public origin: the server's own address is foreign", async () => {
    const attempt = (origin: string) => fetch(`${url}/api/v1/monitors`, { method: "POST", headers: { origin, cookie: "__Secure-next-auth.session-token=x", "content-type": "application/json" }, body: "{}" });
    expect((await attempt(url)).status).toBe(403);
    expect((await attempt("https://app.deckhand.example.test")).status).toBe(403);
    // From the public origin the request goes on (and, with no valid session behind the cookie, is 401).
    expect((await attempt(PUBLIC)).status).toBe(401);
    const bearer = await fetch(`${url}/api/v1/monitors`, { headers: { authorization: `Bearer ${token}`, origin: url } });
    expect(bearer.status).toBe(200);
  });
});
