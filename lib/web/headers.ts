import { randomBytes } from "node:crypto";
import type { HeaderSource } from "./header-source";
import { requestScheme } from "./origin";

/**
 * The security headers every response carries. The Content-Security-Policy allows scripts by a nonce made for
 * each request: Next.js reads it from the request's own `content-security-policy` header
 * (node_modules/next/dist/server/route-modules/app-page/parse-request-headers.js, through
 * get-script-nonce-from-header.js) and puts it on every script tag it renders, so pages are rendered per
 * request (the root layout is dynamic): a page rendered at build time would carry no nonce and not run.
 */
export interface HeaderSettings {
  /** `next dev` evaluates its modules with eval. */
  dev: boolean;
  publicOrigin: string | null;
  trustProxy: boolean;
}

export function newNonce(): string {
  return randomBytes(18).toString("base64");
}

export function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic': the chunks Next's nonced scripts load are trusted through them; nothing else runs.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // React renders style attributes (charts, sparklines), which a nonce cannot cover; a style runs no code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
  ].join("; ");
}

/** Browser features Deckhand never uses, off for its pages and for anything they might embed. */
export const PERMISSIONS_POLICY = [
  "accelerometer=()",
  "autoplay=()",
  "camera=()",
  "display-capture=()",
  "encrypted-media=()",
  "fullscreen=()",
  "geolocation=()",
  "gyroscope=()",
  "hid=()",
  "magnetometer=()",
  "microphone=()",
  "midi=()",
  "payment=()",
  "picture-in-picture=()",
  "publickey-credentials-get=()",
  "screen-wake-lock=()",
  "serial=()",
  "usb=()",
  "xr-spatial-tracking=()",
].join(", ");

/**
 * HSTS only where the browser reached Deckhand over HTTPS: DECKHAND_PUBLIC_URL is https, or a trusted proxy
 * says X-Forwarded-Proto: https (a browser ignores HSTS over plain HTTP). No includeSubDomains: the apps
 * Deckhand deploys on sibling hosts are not Deckhand's to pin.
 */
export function wantsHsts(headers: HeaderSource, settings: HeaderSettings): boolean {
  if (settings.publicOrigin?.startsWith("https:")) return true;
  return requestScheme(headers, settings.trustProxy) === "https";
}

export function securityHeaders(nonce: string, headers: HeaderSource, settings: HeaderSettings): Record<string, string> {
  return {
    "content-security-policy": contentSecurityPolicy(nonce, settings.dev),
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "permissions-policy": PERMISSIONS_POLICY,
    "cross-origin-opener-policy": "same-origin",
    ...(wantsHsts(headers, settings) ? { "strict-transport-security": "max-age=31536000" } : {}),
  };
}
