import { cookies } from "next/headers";
import { encode } from "next-auth/jwt";
import { authOptions } from "./options";
import type { SessionUser } from "./signin";

/** next-auth v4's session cookie name (core/lib/cookie.ts), with its `__Secure-` prefix behind HTTPS. */
export function sessionCookieName(secure: boolean): string {
  return `${secure ? "__Secure-" : ""}next-auth.session-token`;
}

// A cookie over this is split into chunks by next-auth; Deckhand's token (ids, a version, name and email) is far smaller.
const MAX_COOKIE_VALUE = 3900;

/**
 * Signs the browser in from a server action, as next-auth's credentials callback would: the same token
 * (next-auth's default claims, then this app's `jwt` callback), encrypted with the same secret and lifetime,
 * in the cookie next-auth reads. It lets the sign-in forms post to a server action, which works before
 * JavaScript has loaded, while every request after it is next-auth's as before.
 */
export async function setSessionCookie(user: SessionUser): Promise<void> {
  const options = authOptions();
  const maxAge = options.session?.maxAge ?? 30 * 24 * 60 * 60;
  const defaultToken = { name: user.name, email: user.email, picture: user.image, sub: user.id };
  const account = { providerAccountId: user.id, type: "credentials" as const, provider: "credentials" };
  const token = (await options.callbacks?.jwt?.({ token: defaultToken, user, account, trigger: "signIn" })) ?? defaultToken;
  const value = await encode({ token, secret: options.secret!, maxAge });
  if (value.length > MAX_COOKIE_VALUE) throw new Error(`session token is ${value.length} characters, over one cookie`);
  const secure = options.useSecureCookies ?? false;
  const name = sessionCookieName(secure);
  const jar = await cookies();
  // next-auth reads every cookie that starts with the name as chunks of one token: old chunks must go (as its own chunk() does).
  for (const c of chunksOf(jar.getAll(), name)) jar.set(c.name, "", expired(secure));
  jar.set(name, value, { httpOnly: true, sameSite: "lax", path: "/", secure, maxAge });
}

type Cookie = { name: string; value: string };

// Set expired rather than deleted: a `__Secure-` cookie is only replaced by one that is marked secure too.
const expired = (secure: boolean) => ({ httpOnly: true, sameSite: "lax" as const, path: "/", secure, maxAge: 0 });

/** `name.0`, `name.1`, …: a token next-auth split over several cookies. */
function chunksOf(all: Cookie[], name: string): Cookie[] {
  return all.filter((c) => c.name.startsWith(`${name}.`) && /^\d+$/.test(c.name.slice(name.length + 1)));
}

/** Signs the browser out: the session cookie and any chunks of it are removed. */
export async function clearSessionCookie(): Promise<void> {
  const secure = authOptions().useSecureCookies ?? false;
  const name = sessionCookieName(secure);
  const jar = await cookies();
  for (const n of [name, ...chunksOf(jar.getAll(), name).map((c) => c.name)]) jar.set(n, "", expired(secure));
}
