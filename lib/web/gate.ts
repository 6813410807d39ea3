import type { IncomingMessage, ServerResponse } from "node:http";
import { log } from "../log";
import { checkApiContentType } from "./content-type";
import { newNonce, securityHeaders } from "./headers";
import { checkRequestOrigin } from "./origin";
import { requestIdOf } from "./request-id";
import type { WebSettings } from "./settings";

/**
 * What Deckhand's web server (scripts/web-server.ts) does to every request before Next.js sees it — the one
 * place every request and response passes, pages, API, static files and errors alike:
 *   1. the client address from the socket (or a trusted proxy), and a request id, both as request headers;
 *   2. the security headers (lib/web/headers.ts), with a fresh CSP nonce that Next reads from the request's
 *      own `content-security-policy` header and puts on every script it renders;
 *   3. a cross-site request that may change something refused (lib/web/origin.ts), and an API body that is
 *      not JSON (lib/web/content-type.ts).
 * Returns false when it has answered the request itself.
 */
export function admitRequest(req: IncomingMessage, res: ServerResponse, settings: WebSettings): boolean {
  req.headers["x-deckhand-client-ip"] = clientAddress(req, settings.trustProxy).replace(/^::ffff:/, "");
  const requestId = requestIdOf(req.headers);
  req.headers["x-request-id"] = requestId;
  res.setHeader("x-request-id", requestId);

  const headers = securityHeaders(newNonce(), req.headers, settings);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  // Whatever the client sent under these names is replaced: Next takes its script nonce from here.
  req.headers["content-security-policy"] = headers["content-security-policy"];
  delete req.headers["content-security-policy-report-only"];

  const origin = checkRequestOrigin(req.method, req.headers, settings);
  if (!origin.ok) return refuse(req, res, 403, "cross_site", origin.message, requestId);
  const type = checkApiContentType(req.method, req.url, req.headers);
  if (!type.ok) return refuse(req, res, 415, "unsupported_media_type", type.message, requestId);
  return true;
}

/** The socket's address, or with DECKHAND_TRUST_PROXY the last X-Forwarded-For hop (what the proxy saw). */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const chain = String(req.headers["x-forwarded-for"] ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    if (chain.length > 0) return chain[chain.length - 1]!;
  }
  return req.socket.remoteAddress ?? "";
}

/**
 * Answers the request with a JSON error. Any body is left unread: the connection is closed after the answer
 * (a kept-alive connection would have to read the body to find the next request).
 */
export function refuse(req: IncomingMessage, res: ServerResponse, status: number, code: string, message: string, requestId: string): false {
  const declared = req.headers["content-length"];
  const unread = (declared !== undefined && declared !== "0") || req.headers["transfer-encoding"] !== undefined;
  res.statusCode = status;
  res.setHeader("content-type", "application/json; charset=utf-8");
  res.setHeader("cache-control", "no-store");
  if (unread) res.setHeader("connection", "close");
  res.end(JSON.stringify({ error: { code, message, requestId } }));
  log.warn({ requestId, method: req.method, path: (req.url ?? "").split("?")[0], status, code, ip: req.headers["x-deckhand-client-ip"] }, "request refused");
  return false;
}
