import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { abortable } from "./deadline";
import { hostOf, vetHost, type AddressGuard, type ResolvedAddress, type Resolver } from "./guard";

/**
 * The one way Deckhand makes an outbound HTTP request to an address a user chose (health checks, alert
 * webhooks): every hop's address vetted by the AddressGuard, and the socket pinned to the vetted address.
 */

const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** The socket goes to the address that was vetted, whatever the resolver would say a moment later. */
function pinnedLookup(target: ResolvedAddress): LookupFunction {
  return ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  }) as unknown as LookupFunction;
}

/** What a caller may add to a request: its own headers (after the defaults), and how many redirects to follow. */
export interface RequestExtras {
  headers?: Record<string, string>;
  /** Alert sends follow none: a redirect must not carry a signature or a token to another address. */
  maxRedirects?: number;
  /** CAs (PEM) to verify HTTPS against instead of the system's (a health check's test CA). */
  ca?: string[];
}

function send(url: URL, method: string, target: ResolvedAddress, signal: AbortSignal, body?: string, headers: Record<string, string> = {}, ca?: string[]): Promise<http.IncomingMessage> {
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request({
      protocol: url.protocol,
      hostname: hostOf(url.hostname),
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      method,
      headers: {
        "user-agent": "Deckhand-Health/1.0",
        accept: "*/*",
        connection: "close",
        ...(body !== undefined ? { "content-type": "application/json", "content-length": Buffer.byteLength(body) } : {}),
        ...headers,
      },
      agent: false,
      lookup: pinnedLookup(target),
      signal,
      ...(ca && url.protocol === "https:" ? { ca } : {}),
    });
    req.once("response", (res) => {
      // Errors after the answer began (reset mid-body, abort) surface through the reader or not at all;
      // an 'error' event without a listener would take the whole worker down.
      res.on("error", () => undefined);
      resolve(res);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Reads at most `limit` bytes of the body, then closes the response. */
export async function readUpTo(res: http.IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= limit) break;
  }
  res.destroy();
  return Buffer.concat(chunks).subarray(0, limit).toString("utf8");
}

/** What every hop of a request is vetted with. */
export interface OutboundPolicy {
  guard: AddressGuard;
  resolve?: Resolver;
}

export interface GuardedResponse {
  res: http.IncomingMessage;
  url: URL;
  hops: number;
}

/**
 * Requests the URL and follows up to MAX_REDIRECTS redirects by hand, vetting the address of every hop
 * before connecting to it: a public page must not be able to redirect a check into the metadata service.
 */
export async function guardedRequest(start: URL, method: string, ctx: OutboundPolicy, signal: AbortSignal, body?: string, extras: RequestExtras = {}): Promise<GuardedResponse> {
  const maxRedirects = extras.maxRedirects ?? MAX_REDIRECTS;
  let url = start;
  let currentMethod = method;
  let currentBody = body;
  for (let hops = 0; ; hops++) {
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`refusing to follow a redirect to ${url.protocol} URL`);
    const target = await abortable(vetHost(url.hostname, ctx.guard, ctx.resolve), signal);
    const res = await send(url, currentMethod, target, signal, currentBody, extras.headers, extras.ca);
    const location = res.headers.location;
    if (!REDIRECT_STATUSES.has(res.statusCode ?? 0) || !location || maxRedirects === 0) return { res, url, hops };
    res.destroy();
    if (hops >= maxRedirects) throw new Error(`too many redirects (more than ${maxRedirects})`);
    url = new URL(location, url);
    // What browsers do: a 303, or a 301/302 after POST, continues as a GET without the body.
    if (res.statusCode === 303 || ((res.statusCode === 301 || res.statusCode === 302) && currentMethod === "POST")) {
      currentMethod = "GET";
      currentBody = undefined;
    }
  }
}
