import { randomUUID } from "node:crypto";
import { headerOf, type HeaderSource } from "./header-source";

/** What a proxy in front may pass as its own request id; anything else (log injection, a megabyte) is replaced. */
const ACCEPTED = /^[A-Za-z0-9._:-]{8,128}$/;

/** This request's id: the one the web server (or a proxy before it) gave it, else a new one. */
export function requestIdOf(headers: HeaderSource): string {
  const given = headerOf(headers, "x-request-id");
  return given !== undefined && ACCEPTED.test(given) ? given : randomUUID();
}
