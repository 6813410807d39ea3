import { headers } from "next/headers";
import type { z } from "zod";
import { AppError } from "../errors";
import { getRequestPrincipal } from "../auth/session";
import { requestMeta } from "../auth/request-meta";
import type { Principal } from "../auth/roles";
import type { Permission } from "../auth/permissions";
import { ValidationError } from "../errors";
import { log } from "../log";
import { readBodyWithin } from "../web/body-limit";
import { isJsonMediaType } from "../web/content-type";
import { requestIdOf } from "../web/request-id";
import { publicError } from "./errors";
import { webSettings } from "../web/settings";
import { assertPermission, runAction, zodMessage, type ActionDefinition } from "./core";
import { assertCleanInput } from "./input-strings";

type RouteParams = { params: Promise<Record<string, string | string[]>> };
type Handler = (req: Request, ctx: RouteParams) => Promise<Response>;

/** What a route handler was built from; lib/openapi's tests read it to prove the document matches the routes. */
export interface RouteDefinition {
  name: string;
  permission: Permission;
  input: z.ZodType;
  /** The status of a successful answer (a handler may still return its own Response). */
  status: number;
}

export type DefinedHandler = Handler & { readonly definition: RouteDefinition };

function described(handler: Handler, definition: RouteDefinition): DefinedHandler {
  return Object.assign(handler, { definition });
}

/** `{error: {code, message}}`; `inBody` adds the request id to the body too (internal failures: 500, 503). */
export function jsonError(status: number, code: string, message: string, requestId?: string, inBody = false): Response {
  return Response.json({ error: { code, message, ...(requestId && inBody ? { requestId } : {}) } }, { status, headers: requestId ? { "x-request-id": requestId } : {} });
}

/** Deckhand's own errors as they are; anything else a plain 500 (or 503 while the database is away), details to the log. */
function errorResponse(err: unknown, requestId: string, req: Request): Response {
  const e = publicError(err, requestId, { method: req.method, path: new URL(req.url).pathname });
  return jsonError(e.status, e.code, e.message, requestId, e.requestId !== undefined);
}

/** One log line per API request, with a request id echoed back in X-Request-Id. */
export function withRequestLog(handler: Handler): Handler {
  return async (req, ctx) => {
    const requestId = requestIdOf(req.headers);
    const started = performance.now();
    let res: Response;
    try {
      res = await handler(req, ctx);
    } catch (err) {
      res = errorResponse(err, requestId, req);
    }
    const url = new URL(req.url);
    log.info({ requestId, method: req.method, path: url.pathname, status: res.status, ms: Math.round(performance.now() - started) }, "api request");
    if (!res.headers.has("x-request-id")) {
      try {
        res.headers.set("x-request-id", requestId);
      } catch {
        // Some responses (redirects from next-auth) have immutable headers; the log line still has the id.
      }
    }
    return res;
  };
}

/** A mutating route's JSON object body ({} when there is none). It is read only after the caller was allowed. */
async function readJsonBody(req: Request): Promise<object> {
  // The web server has bounded the body already; counting again here bounds it under plain `next start` too.
  const text = await readBodyWithin(req.body, webSettings().maxBodyBytes);
  if (!text.trim()) return {};
  if (!isJsonMediaType(req.headers.get("content-type") ?? undefined)) {
    throw new AppError(415, "unsupported_media_type", "The API takes JSON bodies sent as Content-Type: application/json");
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ValidationError("Request body is not valid JSON");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new ValidationError("Request body must be a JSON object");
  return body;
}

/** A read's input: its query parameters and path parameters (a read has no body). */
function readQueryInput(req: Request, params: Record<string, string | string[]>): unknown {
  return { ...Object.fromEntries(new URL(req.url).searchParams), ...params };
}

export interface ApiActionOptions<R> {
  /** The status of a successful answer (default 200); 204 answers with no body. */
  status?: number;
  /** When the status depends on the outcome (DELETE …?removeReleases=true answers 202, else 204). */
  statusOf?(result: R): number;
  /**
   * Query parameters that feed the input, by name: only for a route that takes no body (a DELETE's flag).
   * Any other query parameter is ignored, as on every mutating route.
   */
  query?: readonly string[];
}

function answer(result: unknown, status: number): Response {
  return status === 204 ? new Response(null, { status }) : Response.json(result, { status });
}

/** A mutating API route: the same runAction path as server actions (token or session → permission → zod → audit). */
export function apiAction<S extends z.ZodType, R>(def: ActionDefinition<S, R>, opts: ApiActionOptions<R> = {}): DefinedHandler {
  const status = opts.status ?? 200;
  const handler = withRequestLog(async (req, ctx) => {
    const meta = requestMeta(await headers());
    // Who is asking and whether they may is settled before a byte of the body is read.
    const principal = await assertPermission(await getRequestPrincipal(), def.permission, def.name, meta);
    // The body and the path only: a query parameter never feeds a change (a link cannot carry one), except
    // the few a route names (a DELETE's flag: a link cannot send a DELETE).
    const search = new URL(req.url).searchParams;
    const fromQuery = Object.fromEntries((opts.query ?? []).filter((k) => search.has(k)).map((k) => [k, search.get(k)]));
    const input = { ...(await readJsonBody(req)), ...fromQuery, ...(await ctx.params) };
    const result = await runAction(def, principal, input, meta);
    return answer(result, opts.statusOf?.(result) ?? status);
  });
  return described(handler, { name: def.name, permission: def.permission, input: def.input, status });
}

/** A read-only API route: token or session → permission → zod input. Reads are not audited (a denied one is, as a 403). */
export function apiQuery<S extends z.ZodType, R>(def: { name: string; permission: Permission; input: S; handler(input: z.infer<S>, principal: Principal, req: Request): Promise<R | Response> }): DefinedHandler {
  const handler = withRequestLog(async (req, ctx) => {
    const principal = await assertPermission(await getRequestPrincipal(), def.permission, def.name, requestMeta(await headers()));
    const parsed = def.input.safeParse(assertCleanInput(readQueryInput(req, await ctx.params)));
    if (!parsed.success) throw new ValidationError(zodMessage(parsed.error), parsed.error.issues);
    const result = await def.handler(parsed.data, principal, req);
    return result instanceof Response ? result : Response.json(result);
  });
  return described(handler, { name: def.name, permission: def.permission, input: def.input, status: 200 });
}
