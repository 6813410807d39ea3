/** A signed-in HTTP client for the app the test runner started (DECKHAND_TEST_BASE_URL). */
export function baseUrl(): string {
  const url = process.env.DECKHAND_TEST_BASE_URL;
  if (!url) throw new Error("DECKHAND_TEST_BASE_URL is not set: run tests with `npm test`");
  return url;
}

/** Each test passes its own client address (the API app trusts X-Forwarded-For), so per-IP limits never collide. */
export function fakeIp(): string {
  return `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
}

function cookiesFrom(res: Response, jar: Map<string, string>): void {
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const eq = pair!.indexOf("=");
    jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
  }
}

export interface Session {
  cookie: string;
  ip: string;
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

export async function signIn(email: string, password: string, ip = fakeIp()): Promise<{ ok: boolean; error: string | null; session: Session }> {
  const jar = new Map<string, string>();
  // Origin as a browser sends it with a change from Deckhand's own pages (the web server refuses a cookie-carrying change without it).
  const headers = () => ({ cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; "), "x-forwarded-for": ip, origin: new URL(baseUrl()).origin });
  const csrfRes = await fetch(`${baseUrl()}/api/auth/csrf`, { headers: headers() });
  cookiesFrom(csrfRes, jar);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${baseUrl()}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { ...headers(), "content-type": "application/x-www-form-urlencoded" },
    // json=true makes next-auth answer {url} (what its own client does) instead of a redirect
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: "/", json: "true" }),
  });
  cookiesFrom(res, jar);
  const body = (await res.json().catch(() => ({}))) as { url?: string };
  const error = body.url ? new URL(body.url, baseUrl()).searchParams.get("error") : "no redirect";
  const session: Session = {
    cookie: headers().cookie,
    ip,
    fetch: (path, init = {}) => fetch(`${baseUrl()}${path}`, { ...init, redirect: "manual", headers: { ...headers(), ...(init.headers as Record<string, string>) } }),
  };
  return { ok: error === null && jar.has("next-auth.session-token"), error, session };
}

export function api(path: string, token: string, init: RequestInit = {}, ip = fakeIp()): Promise<Response> {
  return fetch(`${baseUrl()}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "x-forwarded-for": ip, ...(init.headers as Record<string, string>) },
  });
}

/** The server log file of the app the runner started (stdout and stderr of web and worker, written as it comes). */
export function appLogPath(): string {
  const file = process.env.DECKHAND_TEST_APP_LOG;
  if (!file) throw new Error("DECKHAND_TEST_APP_LOG is not set: run tests with `npm test`");
  return file;
}
