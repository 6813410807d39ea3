import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { z } from "zod";
import { hostOf, TargetDeniedError, vetHost, type ResolvedAddress } from "../network";
import { abortable, checkDeadline, CheckTimeoutError, describeNetworkError, type CheckContext, type CheckOutcome } from "./types";

export const MAX_REDIRECTS = 5;
/** A keyword is searched in the first MiB of the body: a health page is small, a runaway one is not read whole. */
const MAX_BODY_BYTES = 1024 * 1024;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
export const HTTP_METHODS = ["GET", "HEAD", "POST", "OPTIONS"] as const;

/** "200-399", "200", "200,204,300-302": what counts as up. */
export const expectedStatusSchema = z
  .string()
  .trim()
  .regex(/^\d{3}(-\d{3})?(\s*,\s*\d{3}(-\d{3})?)*$/, "use codes and ranges such as 200-399 or 200,204")
  .refine((v) => parseExpectedStatus(v).every(([lo, hi]) => lo >= 100 && hi <= 599 && lo <= hi), "codes must be 100-599, ranges low-high");

export function parseExpectedStatus(spec: string): [number, number][] {
  return spec.split(",").map((part) => {
    const [lo, hi] = part.trim().split("-").map(Number);
    return [lo!, hi ?? lo!];
  });
}

export function statusMatches(status: number, spec: string): boolean {
  return parseExpectedStatus(spec).some(([lo, hi]) => status >= lo && status <= hi);
}

export interface HttpCheckSpec {
  url: string;
  method: string;
  expectedStatus: string;
  keyword?: string | null;
  timeoutMs: number;
}

/** The socket goes to the address that was vetted, whatever the resolver would say a moment later. */
function pinnedLookup(target: ResolvedAddress): LookupFunction {
  return ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  }) as unknown as LookupFunction;
}

function send(url: URL, method: string, target: ResolvedAddress, signal: AbortSignal, body?: string): Promise<http.IncomingMessage> {
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
      },
      agent: false,
      lookup: pinnedLookup(target),
      signal,
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

async function readUpTo(res: http.IncomingMessage, limit: number): Promise<string> {
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

interface FollowedResponse {
  res: http.IncomingMessage;
  url: URL;
  hops: number;
}

/**
 * Requests the URL and follows up to MAX_REDIRECTS redirects by hand, vetting the address of every hop
 * before connecting to it: a public page must not be able to redirect a check into the metadata service.
 */
async function follow(
  start: URL,
  method: string,
  ctx: CheckContext,
  signal: AbortSignal,
  body?: string,
): Promise<FollowedResponse> {
  let url = start;
  let currentMethod = method;
  let currentBody = body;
  for (let hops = 0; ; hops++) {
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`refusing to follow a redirect to ${url.protocol} URL`);
    const target = await abortable(vetHost(url.hostname, ctx.guard, ctx.resolve), signal);
    const res = await send(url, currentMethod, target, signal, currentBody);
    const location = res.headers.location;
    if (!REDIRECT_STATUSES.has(res.statusCode ?? 0) || !location) return { res, url, hops };
    res.destroy();
    if (hops >= MAX_REDIRECTS) throw new Error(`too many redirects (more than ${MAX_REDIRECTS})`);
    url = new URL(location, url);
    // What browsers do: a 303, or a 301/302 after POST, continues as a GET without the body.
    if (res.statusCode === 303 || ((res.statusCode === 301 || res.statusCode === 302) && currentMethod === "POST")) {
      currentMethod = "GET";
      currentBody = undefined;
    }
  }
}

export async function checkHttp(spec: HttpCheckSpec, ctx: CheckContext): Promise<CheckOutcome> {
  const started = performance.now();
  const deadline = checkDeadline(spec.timeoutMs, ctx.signal);
  try {
    const { res, hops } = await follow(new URL(spec.url), spec.method, ctx, deadline.signal);
    const latencyMs = performance.now() - started;
    const status = res.statusCode ?? 0;
    const via = hops > 0 ? ` after ${hops} redirect${hops > 1 ? "s" : ""}` : "";
    if (!statusMatches(status, spec.expectedStatus)) {
      res.destroy();
      return { ok: false, latencyMs, detail: `HTTP ${status}${via} (expected ${spec.expectedStatus})` };
    }
    if (spec.keyword) {
      const text = await readUpTo(res, MAX_BODY_BYTES);
      if (!text.includes(spec.keyword)) return { ok: false, latencyMs, detail: `HTTP ${status}${via}: keyword "${spec.keyword}" not found` };
    } else {
      res.destroy();
    }
    return { ok: true, latencyMs, detail: `HTTP ${status}${via}` };
  } catch (err) {
    const reason: unknown = deadline.signal.aborted ? deadline.signal.reason : err;
    if (reason instanceof CheckTimeoutError) return { ok: false, latencyMs: spec.timeoutMs, detail: reason.message };
    if (reason instanceof TargetDeniedError) return { ok: false, latencyMs: null, detail: reason.message };
    return { ok: false, latencyMs: null, detail: describeNetworkError(reason) };
  } finally {
    deadline.done();
  }
}

export interface WebhookResult {
  ok: boolean;
  status: number | null;
  error: string | null;
}

/** Alert webhooks go through the same guard and pinned connection as checks. */
export async function postJson(url: string, payload: unknown, ctx: CheckContext, timeoutMs = 10_000): Promise<WebhookResult> {
  const deadline = checkDeadline(timeoutMs, ctx.signal);
  try {
    const { res } = await follow(new URL(url), "POST", ctx, deadline.signal, JSON.stringify(payload));
    const status = res.statusCode ?? 0;
    const text = status >= 200 && status < 300 ? "" : await readUpTo(res, 500).catch(() => "");
    res.destroy();
    if (status >= 200 && status < 300) return { ok: true, status, error: null };
    return { ok: false, status, error: `HTTP ${status}${text ? `: ${text.trim().slice(0, 200)}` : ""}` };
  } catch (err) {
    const reason: unknown = deadline.signal.aborted ? deadline.signal.reason : err;
    return { ok: false, status: null, error: reason instanceof TargetDeniedError ? reason.message : describeNetworkError(reason) };
  } finally {
    deadline.done();
  }
}
