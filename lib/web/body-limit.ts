import type { IncomingMessage } from "node:http";
import { AppError } from "../errors";
import { headerOf, type HeaderSource } from "./header-source";

/**
 * Bodies are bounded before anything reads them, at the web server (lib/web/gate.ts), for every route alike:
 * - a declared Content-Length over the limit gets 413 at once, and not a byte of the body is read;
 * - a body of undeclared length (Transfer-Encoding: chunked) is counted as the HTTP parser hands it over, and
 *   at the first byte past the limit it is cut: the reader gets nothing more, the client gets 413 (when
 *   nothing was answered yet) and the connection is closed.
 * Each request holds at most the limit in memory, and only when a route reads it: a route that answers
 * first (401/403 before reading, lib/actions/api.ts) reads none, and Node discards the rest unbuffered.
 */
export type BodyVerdict = { ok: true } | { ok: false; status: 413; code: string; message: string };

export function tooLargeMessage(limitBytes: number): string {
  return `The request body is larger than this server takes (${limitBytes} bytes, DECKHAND_MAX_BODY_BYTES)`;
}

export function checkDeclaredBody(headers: HeaderSource, limitBytes: number): BodyVerdict {
  const declared = headerOf(headers, "content-length");
  if (declared !== undefined && headerOf(headers, "transfer-encoding") === undefined && Number(declared) > limitBytes) {
    return { ok: false, status: 413, code: "payload_too_large", message: tooLargeMessage(limitBytes) };
  }
  return { ok: true };
}

/**
 * Counts a body of undeclared length as it arrives and calls `onOverflow` once, at the first chunk past the
 * limit; that chunk and every later one are dropped (the reader never sees the body end). Node's HTTP parser
 * hands each body chunk to the request's `push` (node:_http_common parserOnBody), so counting there happens
 * before any of it is buffered for a reader.
 */
export function capUndeclaredBody(req: IncomingMessage, limitBytes: number, onOverflow: () => void): void {
  if (headerOf(req.headers, "transfer-encoding") === undefined) return;
  const push = req.push.bind(req);
  let seen = 0;
  let cut = false;
  req.push = (chunk: unknown, encoding?: BufferEncoding): boolean => {
    if (chunk === null) return cut ? false : push(chunk, encoding);
    // Past the limit, chunks are dropped (true: the socket may go on being read and drained until it closes).
    if (cut) return true;
    seen += (chunk as Buffer).length;
    if (seen <= limitBytes) return push(chunk, encoding);
    cut = true;
    onOverflow();
    return true;
  };
}

/**
 * Reads a Fetch body as text, counting as it streams and stopping at the limit: the bound for a route handler
 * reached without the web server in front (`next start`).
 */
export async function readBodyWithin(body: ReadableStream<Uint8Array> | null, limitBytes: number): Promise<string> {
  if (!body) return "";
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let seen = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    seen += value.byteLength;
    if (seen > limitBytes) {
      await reader.cancel().catch(() => undefined);
      throw new AppError(413, "payload_too_large", tooLargeMessage(limitBytes));
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}
