import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { log } from "../log";
import { capUndeclaredBody, checkDeclaredBody, tooLargeMessage } from "./body-limit";
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
 *   3. a body over DECKHAND_MAX_BODY_BYTES refused before any of it is read, or cut where it passes the limit
 *      (lib/web/body-limit.ts);
 *   4. a cross-site request that may change something refused (lib/web/origin.ts), and an API body that is
 *      not JSON (lib/web/content-type.ts).
 * Returns false when it has answered the request itself.
 */
export function admitRequest(req: IncomingMessage, res: ServerResponse, settings: WebSettings): boolean {
  req.headers["x-deckhand-client-ip"] = clientAddress(req, settings.trustProxy).replace(/^::ffff:/, "");
  const requestId = requestIdOf(req.headers);
  req.headers["x-request-id"] = requestId;
  // The path asked for, for pages that send a signed-out visitor to sign in and back (lib/auth/session.ts).
  req.headers["x-deckhand-path"] = req.url ?? "/";
  res.setHeader("x-request-id", requestId);

  const headers = securityHeaders(newNonce(), req.headers, settings);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  // Whatever the client sent under these names is replaced: Next takes its script nonce from here.
  req.headers["content-security-policy"] = headers["content-security-policy"];
  delete req.headers["content-security-policy-report-only"];

  const body = checkDeclaredBody(req.headers, settings.maxBodyBytes);
  if (!body.ok) return refuse(req, res, body.status, body.code, body.message, requestId);
  const origin = checkRequestOrigin(req.method, req.headers, settings);
  if (!origin.ok) return refuse(req, res, 403, "cross_site", origin.message, requestId);
  const type = checkApiContentType(req.method, req.url, req.headers);
  if (!type.ok) return refuse(req, res, 415, "unsupported_media_type", type.message, requestId);
  capUndeclaredBody(req, settings.maxBodyBytes, () => {
    // Whoever was reading gets no more of it; the connection ends once the answer is out.
    if (!res.headersSent) refuse(req, res, 413, "payload_too_large", tooLargeMessage(settings.maxBodyBytes), requestId);
    else if (res.writableFinished) req.socket.destroy();
    else res.once("finish", () => req.socket.destroy());
  });
  return true;
}

/** The socket's address, or with DECKHAND_TRUST_PROXY the last X-Forwarded-For hop (what the proxy saw). */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const chain = String(req.headers["x-forwarded-for"] ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    if (chain.length > 0) return chain[chain.length - 1]!;
  }
  return req.socket.remoteAddress ?? "";
}

/** How long a refused connection still takes (and drops) what its client sends, so the answer is read, not reset. */
const LINGER_MS = 2_000;

/**
 * Answers the request with a JSON error. A body is left unread: the answer says `Connection: close`, and the
 * connection is ended after it (a kept-alive one would have to read the body to find the next request).
 * Closing a socket with unread bytes makes the kernel send a reset, which can destroy the answer before the
 * client reads it; so for a moment (LINGER_MS) what still arrives is read and dropped — never kept.
 */
export function refuse(req: IncomingMessage, res: ServerResponse, status: number, code: string, message: string, requestId: string): false {
  const declared = req.headers["content-length"];
  const unread = (declared !== undefined && declared !== "0") || req.headers["transfer-encoding"] !== undefined;
  res.statusCode = status;
  res.setHeader("content-type", "application/json; charset=utf-8");
  res.setHeader("cache-control", "no-store");
  if (unread) {
    res.setHeader("connection", "close");
    lingerThenClose(req.socket);
  }
  // The request id is in X-Request-Id (set above); the body is the API's usual {error: {code, message}}.
  res.end(JSON.stringify({ error: { code, message } }));
  log.warn({ requestId, method: req.method, path: (req.url ?? "").split("?")[0], status, code, ip: req.headers["x-deckhand-client-ip"] }, "request refused");
  return false;
}

/** Node ends a `Connection: close` socket with destroySoon once the answer is written: end, drain, then destroy. */
function lingerThenClose(socket: Socket): void {
  socket.destroySoon = function (this: Socket) {
    if (this.writable) this.end();
    setTimeout(() => this.destroy(), LINGER_MS).unref();
    // Read on (Node's HTTP parser drops a refused request's body) so the client's bytes do not pile up unread.
    this.resume();
  };
}
