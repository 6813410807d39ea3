import type { IncomingHttpHeaders } from "node:http";

/** Request headers as node:http gives them (the web server) or as a Fetch `Headers` (route handlers, actions). */
export type HeaderSource = IncomingHttpHeaders | Pick<Headers, "get">;

export function headerOf(headers: HeaderSource, name: string): string | undefined {
  // Next's read-only headers() is Headers-like without being a Headers instance.
  if (typeof headers.get === "function") return (headers as Pick<Headers, "get">).get(name) ?? undefined;
  const value = (headers as IncomingHttpHeaders)[name];
  return Array.isArray(value) ? value[0] : value;
}
