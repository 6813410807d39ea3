import { headerOf, type HeaderSource } from "./header-source";

/**
 * Cross-site request refusal. A browser attaches Deckhand's session cookie to a form or a fetch that another
 * site sends it — and to one from a sibling origin (another port or subdomain of the same site, such as an app
 * Deckhand itself deploys), which SameSite=Lax does not stop because it is the same *site*. So every request
 * that may change something must show it comes from Deckhand's own origin.
 */
export interface OriginSettings {
  /** DECKHAND_PUBLIC_URL's origin; null: the request's own scheme and Host are Deckhand's origin. */
  publicOrigin: string | null;
  /** Behind a proxy that sets X-Forwarded-Proto and X-Forwarded-Host (DECKHAND_TRUST_PROXY). */
  trustProxy: boolean;
}

export type OriginVerdict = { ok: true } | { ok: false; message: string };

/** HTTP's safe methods: no route or server action changes anything on them. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const OK: OriginVerdict = { ok: true };

export function isSafeMethod(method: string | undefined): boolean {
  return SAFE_METHODS.has((method ?? "GET").toUpperCase());
}

/** The first value of a header that a proxy may have made a list (`a, b`). */
function firstValue(value: string | undefined): string | undefined {
  return value?.split(",")[0]?.trim() || undefined;
}

/** scheme://host[:port] in canonical form (default port dropped, lower case), or null for anything else. */
export function canonicalOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : null;
  } catch {
    return null;
  }
}

/** The scheme the client used: Deckhand's socket is plain HTTP, so https only when a trusted proxy says so. */
export function requestScheme(headers: HeaderSource, trustProxy: boolean): "http" | "https" {
  return trustProxy && firstValue(headerOf(headers, "x-forwarded-proto"))?.toLowerCase() === "https" ? "https" : "http";
}

/** Deckhand's own origin for this request. */
export function ownOrigin(headers: HeaderSource, settings: OriginSettings): string | null {
  if (settings.publicOrigin) return settings.publicOrigin;
  const host = (settings.trustProxy ? firstValue(headerOf(headers, "x-forwarded-host")) : undefined) ?? headerOf(headers, "host");
  return host ? canonicalOrigin(`${requestScheme(headers, settings.trustProxy)}://${host}`) : null;
}

function refused(message: string): OriginVerdict {
  return { ok: false, message: `${message}. Deckhand only takes changes from its own pages or with an API token.` };
}

/**
 * Whether a request may go on. Safe methods and bearer-token requests always may: a browser cannot add an
 * Authorization header to a cross-site request without a CORS preflight, which Deckhand never grants, and a
 * bearer request is authenticated by its token alone (never by the cookie). Otherwise Origin must be
 * Deckhand's own; without Origin, Sec-Fetch-Site must be `same-origin`. A request with neither header (no
 * current browser sends a POST so) is refused when it carries cookies, and goes on without them: it can only
 * be anonymous, and an anonymous request changes nothing.
 */
export function checkRequestOrigin(method: string | undefined, headers: HeaderSource, settings: OriginSettings): OriginVerdict {
  if (isSafeMethod(method)) return OK;
  if (/^bearer\s/i.test(headerOf(headers, "authorization") ?? "")) return OK;
  const origin = headerOf(headers, "origin");
  if (origin !== undefined) {
    const own = ownOrigin(headers, settings);
    if (own !== null && canonicalOrigin(origin) === own) return OK;
    return refused(`This request came from ${JSON.stringify(origin.slice(0, 100))}, not from Deckhand's own origin`);
  }
  const site = firstValue(headerOf(headers, "sec-fetch-site"));
  if (site !== undefined) return site === "same-origin" ? OK : refused(`This request came from another site (Sec-Fetch-Site: ${site.slice(0, 20)})`);
  if (headerOf(headers, "cookie")) return refused("A request that changes something and carries cookies must say where it comes from (Origin)");
  return OK;
}
