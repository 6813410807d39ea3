import type { RequestMeta } from "../audit/record";

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(h: HeaderSource, name: string): string | null {
  if (h instanceof Headers) return h.get(name);
  const v = h[name];
  return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
}

/**
 * The client address is set by Deckhand's own web server (scripts/web-server.mjs) from the socket, or from
 * a trusted proxy's X-Forwarded-For; it overwrites whatever the client sent under that name.
 */
export function requestMeta(h: HeaderSource): RequestMeta {
  return { ip: header(h, "x-deckhand-client-ip") || null, userAgent: header(h, "user-agent") };
}
