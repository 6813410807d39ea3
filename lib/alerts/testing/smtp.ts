import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { SMTPServer } from "smtp-server";

/** A certificate for `host`, made for the test with openssl (its own CA: pass `cert` as the CA to trust). */
export function makeCertificate(host: string): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "deckhand-smtp-cert-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "2",
        "-keyout",
        path.join(dir, "key.pem"),
        "-out",
        path.join(dir, "cert.pem"),
        "-subj",
        `/CN=${host}`,
        "-addext",
        `subjectAltName=DNS:${host}`,
      ],
      { stdio: "ignore" },
    );
    return { key: readFileSync(path.join(dir, "key.pem"), "utf8"), cert: readFileSync(path.join(dir, "cert.pem"), "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface ReceivedMail {
  from: string | undefined;
  to: string[];
  user: string | undefined;
  secure: boolean;
  raw: string;
}

/**
 * A real SMTP server on loopback (smtp-server): STARTTLS with the given certificate, and AUTH required with
 * one username and password. `starttls: false` offers no STARTTLS at all (and then allows AUTH in the clear).
 */
export async function startSmtpServer(opts: { tls?: { key: string; cert: string }; username: string; password: string }) {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    ...(opts.tls ? { key: opts.tls.key, cert: opts.tls.cert } : { hideSTARTTLS: true, disabledCommands: ["STARTTLS"], allowInsecureAuth: true }),
    authMethods: ["PLAIN", "LOGIN"],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === opts.username && auth.password === opts.password) callback(null, { user: auth.username });
      else callback(new Error("Invalid username or password"));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          to: session.envelope.rcptTo.map((r) => r.address),
          user: typeof session.user === "string" ? session.user : undefined,
          secure: session.secure,
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function decodeWords(header: string): string {
  return header.replace(/=\?utf-8\?([qb])\?([^?]*)\?=\s*/gi, (_m, enc: string, text: string) =>
    enc.toLowerCase() === "b"
      ? Buffer.from(text, "base64").toString("utf8")
      : Buffer.from(
          text.replace(/_/g, " ").replace(/=([0-9a-f]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
          "latin1",
        ).toString("utf8"),
  );
}

function decodeBody(body: string, encoding: string | undefined): string {
  if (encoding === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (encoding === "quoted-printable") {
    const bytes = body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, "latin1").toString("utf8");
  }
  return body;
}

function headersOf(block: string): Map<string, string> {
  const unfolded = block.replace(/\r?\n[ \t]+/g, " ");
  return new Map(
    unfolded
      .split(/\r?\n/)
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()]),
  );
}

/** The subject, the headers, and the decoded text/plain and text/html parts of a message. */
export function parseMail(raw: string): { subject: string; headers: Map<string, string>; text: string; html: string } {
  const split = raw.indexOf("\r\n\r\n");
  const headers = headersOf(raw.slice(0, split));
  const boundary = /boundary="?([^";]+)"?/.exec(headers.get("content-type") ?? "")?.[1];
  const parts: Record<string, string> = {};
  for (const part of boundary ? raw.slice(split).split(`--${boundary}`) : []) {
    const at = part.indexOf("\r\n\r\n");
    if (at < 0) continue;
    const h = headersOf(part.slice(0, at).trim());
    const type = (h.get("content-type") ?? "").split(";")[0]!.trim();
    parts[type] = decodeBody(part.slice(at + 4).trim(), h.get("content-transfer-encoding"));
  }
  return { subject: decodeWords(headers.get("subject") ?? ""), headers, text: parts["text/plain"] ?? "", html: parts["text/html"] ?? "" };
}
