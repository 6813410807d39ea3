import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { log } from "../log";
import { publicStatus, type PublicStatus } from "./public";
import { gzipOf, piece, type Piece } from "./spliced-gzip";

/**
 * /status/<slug>, the public HTML page, at the speed of its JSON (issue 14: a crowd on the status page). Next
 * renders the page per request because its script nonce is new each time, which held it to ~15 requests/s
 * here. This renders it once per cached answer instead: the first visitor after the answer changes has Next
 * render it (a loopback request to this same server), and every visitor until the answer changes again gets
 * that HTML with the nonce replaced by their own response's — each response still carries a fresh nonce in
 * its Content-Security-Policy and on its scripts, and nothing in the page depends on who asks (it has no
 * session; its data is the cached public answer, lib/status-pages/public.ts).
 */

/** Next's HTML cut at each occurrence of its nonce, encoded and deflated once: an answer is these with a new nonce between. */
interface Copy {
  parts: Piece[];
  contentType: string;
}

interface Rendered {
  /** The cached answer this HTML shows: a newer answer (after PUBLIC_CACHE_MS or an admin's change) renders again. */
  data: PublicStatus;
  html: Promise<Copy | null>;
}

interface State {
  token: string;
  rendered: Map<string, Rendered>;
}

// On globalThis like the answers' cache, so it is one per process whatever imports it.
const shared = globalThis as typeof globalThis & { __deckhandStatusHtml?: State };
const state: State = (shared.__deckhandStatusHtml ??= { token: randomUUID(), rendered: new Map() });
/** The header that marks the loopback render, which Next must answer (never this fast path). */
const RENDER_HEADER = "x-deckhand-status-render";
const MAX_PAGES = 200;
/** A render that takes longer fails: its waiting visitors go to Next, and the next visitor tries again. */
const RENDER_TIMEOUT_MS = 10_000;
/** A slug-shaped path with no query (publicStatus checks the slug itself). */
const PATH = /^\/status\/([a-z0-9-]{1,64})$/;

/** Accept-Encoding names gzip (or *) without q=0. */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  return String(header ?? "")
    .split(",")
    .some((part) => {
      const [name, ...params] = part.trim().toLowerCase().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return (name === "gzip" || name === "*") && !(q && Number(q.slice(2)) === 0);
    });
}

export function nonceOf(csp: string | null | undefined): string | null {
  return /'nonce-([A-Za-z0-9+/=_-]+)'/.exec(csp ?? "")?.[1] ?? null;
}

/** Next's HTML of the page, rendered through the server at `origin`; null when Next answered anything but a plain 200 page. */
async function render(origin: string, slug: string): Promise<Copy | null> {
  const res = await fetch(`${origin}/status/${slug}`, { headers: { [RENDER_HEADER]: state.token, accept: "text/html" }, redirect: "manual", signal: AbortSignal.timeout(RENDER_TIMEOUT_MS) });
  const body = await res.text();
  const nonce = nonceOf(res.headers.get("content-security-policy"));
  const contentType = res.headers.get("content-type") ?? "";
  if (res.status !== 200 || !nonce || !contentType.startsWith("text/html")) return null;
  return { parts: body.split(nonce).map((p) => piece(Buffer.from(p))), contentType };
}

function renderedFor(origin: string, slug: string, data: PublicStatus): Rendered["html"] {
  const hit = state.rendered.get(slug);
  if (hit && hit.data === data) return hit.html;
  const entry: Rendered = { data, html: render(origin, slug) };
  state.rendered.delete(slug);
  state.rendered.set(slug, entry);
  entry.html.catch(() => {
    if (state.rendered.get(slug) === entry) state.rendered.delete(slug);
  });
  while (state.rendered.size > MAX_PAGES) state.rendered.delete(state.rendered.keys().next().value!);
  return entry.html;
}

/**
 * true when it has taken the request: it answers it, or hands it to `next` when the page is not one it can
 * serve (an unknown slug's 404, a failed render). false: not a status page (or the loopback render itself).
 */
export function servePublicStatusPage(req: IncomingMessage, res: ServerResponse, origin: string, next: () => void): boolean {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  if (req.headers[RENDER_HEADER] !== undefined) {
    // Only this process's own render may pass; anyone else's header is dropped and the request served as usual.
    if (req.headers[RENDER_HEADER] === state.token) return false;
    delete req.headers[RENDER_HEADER];
  }
  const [pathname, query] = (req.url ?? "/").split("?");
  const m = query === undefined ? PATH.exec(pathname!) : null;
  if (!m) return false;
  const slug = m[1]!;
  const nonce = nonceOf(String(res.getHeader("content-security-policy") ?? ""));
  if (!nonce) return false;
  const started = performance.now();
  void publicStatus(slug)
    .then((data) => (data ? renderedFor(origin, slug, data) : null))
    .then((page) => {
      if (!page) return next();
      // Compressed as Next would have (the bench's 510 KiB page is 29 KiB gzipped), at the cost of the nonce alone.
      const gzip = acceptsGzip(req.headers["accept-encoding"]);
      const fresh = gzip ? piece(Buffer.from(nonce)) : { raw: Buffer.from(nonce), deflated: Buffer.alloc(0) };
      const pieces = page.parts.flatMap((p, i) => (i === 0 ? [p] : [fresh, p]));
      const body = gzip ? gzipOf(pieces) : Buffer.concat(pieces.map((p) => p.raw));
      res.statusCode = 200;
      res.setHeader("content-type", page.contentType);
      res.setHeader("vary", "accept-encoding");
      if (gzip) res.setHeader("content-encoding", "gzip");
      res.setHeader("cache-control", "private, no-cache, no-store, max-age=0, must-revalidate");
      res.setHeader("content-length", body.length);
      // Says where the answer came from (tests and operators read it); the copy holds nothing private.
      res.setHeader("x-deckhand-status-page", "copy");
      res.end(req.method === "HEAD" ? undefined : body);
      log.debug({ requestId: req.headers["x-request-id"], path: pathname, ms: Math.round(performance.now() - started) }, "status page from its rendered copy");
    })
    .catch((err: unknown) => {
      log.warn({ err, path: pathname }, "status page copy failed; Next renders it");
      if (!res.headersSent) next();
    });
  return true;
}
