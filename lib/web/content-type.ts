import { headerOf, type HeaderSource } from "./header-source";
import { isSafeMethod } from "./origin";

/**
 * The API takes JSON and only JSON: a body sent to /api/v1 with another media type (a cross-site form's
 * `text/plain` or `application/x-www-form-urlencoded`, which a browser sends without asking the server
 * first) is refused with 415 before anything reads it.
 */
export type ContentTypeVerdict = { ok: true } | { ok: false; message: string };

export function isApiPath(url: string | undefined): boolean {
  const pathname = (url ?? "/").split("?")[0]!;
  return pathname === "/api/v1" || pathname.startsWith("/api/v1/");
}

export function hasBody(headers: HeaderSource): boolean {
  const declared = headerOf(headers, "content-length");
  return (declared !== undefined && declared.trim() !== "0") || headerOf(headers, "transfer-encoding") !== undefined;
}

/** `application/json`, with or without parameters (`; charset=utf-8`), in any letter case. */
export function isJsonMediaType(value: string | undefined): boolean {
  return value !== undefined && value.split(";")[0]!.trim().toLowerCase() === "application/json";
}

export function checkApiContentType(method: string | undefined, url: string | undefined, headers: HeaderSource): ContentTypeVerdict {
  if (isSafeMethod(method) || !isApiPath(url) || !hasBody(headers)) return { ok: true };
  const given = headerOf(headers, "content-type");
  if (isJsonMediaType(given)) return { ok: true };
  return { ok: false, message: `The API takes JSON bodies sent as Content-Type: application/json (this one was ${JSON.stringify((given ?? "none").slice(0, 80))})` };
}
