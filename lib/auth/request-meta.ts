import { env } from "../env";
import type { RequestMeta } from "../audit/record";

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(h: HeaderSource, name: string): string | null {
  if (h instanceof Headers) return h.get(name);
  const v = h[name];
  return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
}

/**
 * Next's server appends the socket address to X-Forwarded-For, so its last entry is the peer. Behind a
 * trusted reverse proxy (DECKHAND_TRUST_PROXY=true) the entry before it is the client the proxy saw.
 */
export function requestMeta(h: HeaderSource): RequestMeta {
  const chain = (header(h, "x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const ip = env().DECKHAND_TRUST_PROXY && chain.length >= 2 ? chain[chain.length - 2]! : (chain[chain.length - 1] ?? null);
  return { ip: ip?.replace(/^::ffff:/, "") ?? null, userAgent: header(h, "user-agent") };
}
