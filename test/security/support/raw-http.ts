import net from "node:net";

/**
 * One HTTP/1.1 request written by hand on a TCP socket, so a test controls exactly what reaches the server:
 * headers first, then the body a slice at a time, stopping as soon as an answer arrives (or the server closes).
 */
export interface RawAnswer {
  status: number;
  head: string;
  body: string;
  /** Body bytes written before the answer arrived (or the server stopped taking them). */
  sent: number;
}

export async function rawRequest(url: string, opts: { method?: string; path: string; headers: Record<string, string>; chunked?: boolean; bodyBytes: number; sliceBytes?: number; slice?: Buffer }): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  const lines = [`${opts.method ?? "POST"} ${opts.path} HTTP/1.1`, `Host: ${hostname}:${port}`, ...Object.entries(opts.headers).map(([k, v]) => `${k}: ${v}`)];
  if (opts.chunked) lines.push("Transfer-Encoding: chunked");
  socket.write(`${lines.join("\r\n")}\r\n\r\n`);

  let received = Buffer.alloc(0);
  let answered = false;
  let closed = false;
  socket.on("data", (c: Buffer) => {
    received = Buffer.concat([received, c]);
    if (received.includes("\r\n\r\n")) answered = true;
  });
  socket.on("error", () => undefined);
  socket.on("close", () => (closed = true));

  const slice = opts.slice ?? Buffer.alloc(opts.sliceBytes ?? 64 * 1024, "a");
  let sent = 0;
  while (sent < opts.bodyBytes && !answered && !closed) {
    const piece = slice.subarray(0, Math.min(slice.length, opts.bodyBytes - sent));
    const ok = socket.write(opts.chunked ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from("\r\n")]) : piece);
    sent += piece.length;
    if (!ok) await Promise.race([new Promise((r) => socket.once("drain", r)), new Promise((r) => setTimeout(r, 200))]);
    else await new Promise((r) => setImmediate(r));
  }
  if (opts.chunked && sent >= opts.bodyBytes && !answered && !closed) socket.write("0\r\n\r\n");
  // The answer is whole at its Content-Length, at the last chunk of a chunked answer, or when the server closes.
  const deadline = Date.now() + 10_000;
  while (!closed && Date.now() < deadline) {
    const text = received.toString("utf8");
    const headEnd = text.indexOf("\r\n\r\n");
    if (headEnd >= 0) {
      const head = text.slice(0, headEnd);
      const length = /\r\ncontent-length: *(\d+)/i.exec(head)?.[1];
      if (length !== undefined && Buffer.byteLength(text.slice(headEnd + 4)) >= Number(length)) break;
      if (/\r\ntransfer-encoding: *chunked/i.test(head) && text.endsWith("\r\n0\r\n\r\n")) break;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  socket.destroy();
  const text = received.toString("utf8");
  const headEnd = text.indexOf("\r\n\r\n");
  const head = headEnd >= 0 ? text.slice(0, headEnd) : text;
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
  return { status, head, body: headEnd >= 0 ? text.slice(headEnd + 4) : "", sent };
}
