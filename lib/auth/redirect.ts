/**
 * Where a sign-in may send the browser next: only a path on Deckhand's own origin. Decided by the WHATWG URL
 * parser (the browser's own), never by string prefixes: it drops tabs and newlines, reads "\" as "/" and
 * resolves "//host" to another host, exactly as the browser will when it follows the redirect.
 */
export function sameOriginPath(raw: string | null | undefined, origin: string): string {
  if (!raw) return "/";
  const own = new URL(origin).origin;
  let url: URL;
  try {
    url = new URL(raw, own);
  } catch {
    return "/";
  }
  if (url.origin !== own || (url.protocol !== "http:" && url.protocol !== "https:")) return "/";
  // A path that starts with "//" would name a host when used as a relative URL; one slash is the same page here.
  return `${url.pathname.replace(/^\/+/, "/")}${url.search}${url.hash}`;
}

/** The same as an absolute URL on the origin (what next-auth's redirect callback returns). */
export function sameOriginUrl(raw: string | null | undefined, origin: string): string {
  return new URL(sameOriginPath(raw, origin), new URL(origin).origin).toString();
}

/** The sign-in pages themselves are no place to go back to once signed in (it would loop). */
const SIGN_IN_PAGES = /^\/(login|setup|api\/auth)(\/|$|\?|#)/;

export function afterSignInPath(raw: string | null | undefined, origin: string): string {
  const path = sameOriginPath(raw, origin);
  return SIGN_IN_PAGES.test(path) ? "/" : path;
}
