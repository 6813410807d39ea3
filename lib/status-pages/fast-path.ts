import type { IncomingMessage, ServerResponse } from "node:http";
import { log } from "../log";
import { monitorBadgeResponse, pageBadgeResponse, publicStatusJsonResponse } from "./http";

/**
 * The open status answers served by the web server itself (scripts/web-server.ts), after the gate and before
 * Next.js: the same functions the app/api/public route handlers call, minus Next's per-request work, which
 * is most of the cost of an answer that comes from the cache. Without the custom server (`next start`) the
 * route handlers answer instead, identically.
 */
const ROUTES: [RegExp, (param: string) => Promise<Response>][] = [
  [/^\/api\/public\/status\/([^/]+)$/, publicStatusJsonResponse],
  [/^\/api\/public\/status\/([^/]+)\/badge\.svg$/, pageBadgeResponse],
  [/^\/api\/public\/monitors\/([^/]+)\/badge\.svg$/, monitorBadgeResponse],
];

function decoded(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/** true when it has taken the request (it answers it); false: not one of these, Next handles it. */
export function servePublicStatus(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  const pathname = (req.url ?? "/").split("?")[0]!;
  if (!pathname.startsWith("/api/public/")) return false;
  for (const [pattern, answer] of ROUTES) {
    const m = pattern.exec(pathname);
    if (!m) continue;
    const param = decoded(m[1]!);
    if (param === null) return false;
    const started = performance.now();
    void answer(param)
      .then(async (r) => {
        res.statusCode = r.status;
        r.headers.forEach((value, name) => res.setHeader(name, value));
        const body = Buffer.from(await r.arrayBuffer());
        res.setHeader("content-length", body.length);
        res.end(req.method === "HEAD" ? undefined : body);
        log.info({ requestId: req.headers["x-request-id"], method: req.method, path: pathname, status: r.status, ms: Math.round(performance.now() - started) }, "api request");
      })
      .catch((err: unknown) => {
        log.error({ err, path: pathname }, "public status answer failed");
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
        res.end(JSON.stringify({ error: { code: "internal", message: "The status page could not be read just now; try again in a moment" } }));
      });
    return true;
  }
  return false;
}
