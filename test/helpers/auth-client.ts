import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser, type BrowserContext } from "@playwright/test";
import { freePort } from "../harness/ports";
import { baseUrl, fakeIp } from "./http";

/**
 * A cookie-keeping HTTP client for sign-in, sign-out and replay attacks against a running app (the shared
 * API app by default, or one a test started itself with its own settings). It sends the Origin and
 * content-type a browser would, so it keeps working behind origin checks.
 */
export class AuthClient {
  readonly jar = new Map<string, string>();

  constructor(
    readonly base: string = baseUrl(),
    readonly ip: string = fakeIp(),
    readonly origin: string = base,
  ) {}

  get cookie(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  /** The session cookie (next-auth's JWT) as it is now, under whichever name the app uses. */
  sessionCookie(): { name: string; value: string } | null {
    const entry = [...this.jar].find(([k]) => k.endsWith("next-auth.session-token"));
    return entry ? { name: entry[0], value: entry[1] } : null;
  }

  private keep(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === "" || /max-age=0/i.test(line)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  async fetch(pathname: string, init: RequestInit = {}, cookie = this.cookie): Promise<Response> {
    const res = await fetch(`${this.base}${pathname}`, {
      ...init,
      redirect: "manual",
      headers: { cookie, "x-forwarded-for": this.ip, ...(init.method && init.method !== "GET" ? { origin: this.origin } : {}), ...(init.headers as Record<string, string>) },
    });
    this.keep(res);
    return res;
  }

  private async csrf(): Promise<string> {
    const res = await this.fetch("/api/auth/csrf");
    return ((await res.json()) as { csrfToken: string }).csrfToken;
  }

  private form(fields: Record<string, string>): RequestInit {
    return { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields) };
  }

  /** The password step, as next-auth's own client does it; `url` is where next-auth would send the browser. */
  async signIn(email: string, password: string, callbackUrl = "/"): Promise<{ ok: boolean; error: string | null; url: string | null }> {
    const csrfToken = await this.csrf();
    const res = await this.fetch("/api/auth/callback/credentials", this.form({ csrfToken, email, password, callbackUrl, json: "true" }));
    const body = (await res.json().catch(() => ({}))) as { url?: string };
    const error = body.url ? new URL(body.url, this.base).searchParams.get("error") : "no redirect";
    return { ok: error === null && this.sessionCookie() !== null, error, url: body.url ?? null };
  }

  /** Sign-out through next-auth (POST /api/auth/signout, as the Sign out button does). */
  async signOut(): Promise<Response> {
    const csrfToken = await this.csrf();
    return this.fetch("/api/auth/signout", this.form({ csrfToken, callbackUrl: "/login", json: "true" }));
  }
}

export async function expectSignedIn(client: AuthClient, cookie = client.cookie): Promise<{ api: number; page: number; location: string | null }> {
  const api = await client.fetch("/api/v1/apps", {}, cookie);
  const page = await client.fetch("/", {}, cookie);
  return { api: api.status, page: page.status, location: page.headers.get("location") };
}

const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic"];

export function launchChromium(): Promise<Browser> {
  const executablePath = [process.env.DECKHAND_CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => !!p && existsSync(p));
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/** A browser context with its own client address (the API app trusts X-Forwarded-For). */
export function browserContext(browser: Browser, base: string, ip = fakeIp(), viewport = { width: 1440, height: 900 }): Promise<BrowserContext> {
  return browser.newContext({ baseURL: base, extraHTTPHeaders: { "x-forwarded-for": ip }, viewport });
}

/** The web app of this checkout's test build, started by the test on the file's own database with its own settings. */
export class OwnApp {
  private child: ChildProcess | null = null;
  private readonly dataDir = mkdtempSync(path.join(os.tmpdir(), "deckhand-own-app-"));
  readonly output: string[] = [];
  url = "";

  constructor(private readonly settings: Record<string, string>) {}

  async start(): Promise<string> {
    const port = await freePort();
    this.url = `http://127.0.0.1:${port}`;
    const root = path.resolve(import.meta.dirname, "../..");
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DECKHAND_HOST: "127.0.0.1", DECKHAND_DATA_DIR: this.dataDir, NODE_ENV: "production", DECKHAND_TRUST_PROXY: "true", ...this.settings };
    delete env.NEXTAUTH_URL;
    this.child = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts/start.ts"), "--web-only"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    for (const stream of [this.child.stdout!, this.child.stderr!]) stream.on("data", (c: Buffer) => this.output.push(c.toString()));
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`own app exited during start-up:\n${this.output.join("")}`);
      const ok = await fetch(`${this.url}/api/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return this.url;
      await new Promise((r) => setTimeout(r, 300));
    }
    throw new Error(`own app did not answer /api/health:\n${this.output.join("")}`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
