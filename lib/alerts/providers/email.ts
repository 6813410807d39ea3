import { isIP } from "node:net";
import nodemailer from "nodemailer";
import { z } from "zod";
import { describeNetworkError } from "../../net/errors";
import { TargetDeniedError, vetHost } from "../../net/guard";
import { clip, type AlertMessage } from "../message";
import { formBoolean } from "./fields";
import type { AlertProvider, SendContext, SendResult } from "./types";

/**
 * E-mail over SMTP (nodemailer). `secure`: TLS from the first byte (port 465); otherwise the connection is
 * upgraded with STARTTLS, which `requireTls` (the default) insists on, so a password never crosses in the clear.
 * The server's address is vetted by the address guard and the connection pinned to it, like every webhook;
 * the certificate is checked against the host name (a private CA can be given as `caCertificate`).
 * Each message has a plain-text and an HTML body with the same facts and links.
 */
const address = z.string().trim().toLowerCase().pipe(z.email("must be an e-mail address"));
const fromAddress = z
  .string()
  .trim()
  .max(300)
  .refine((v) => {
    const inner = /^[^<>\r\n]*<([^<>\s]+)>$/.exec(v)?.[1] ?? v;
    return address.safeParse(inner).success;
  }, 'must be an e-mail address, or "Name <address>"');

const config = z.object({
  host: z
    .string()
    .trim()
    .min(1, "host is required")
    .max(255)
    .regex(/^[A-Za-z0-9.:\-_[\]]+$/, "must be a host name or IP address"),
  port: z.coerce.number().int().min(1).max(65_535).default(587),
  secure: formBoolean(false),
  requireTls: formBoolean(true),
  username: z.preprocess((v) => (v === "" ? undefined : v), z.string().max(300).optional()),
  password: z.preprocess((v) => (v === "" ? undefined : v), z.string().max(500).optional()),
  from: fromAddress,
  to: z.preprocess((v) => (typeof v === "string" ? v.split(/[\s,;]+/).filter(Boolean) : v), z.array(address).min(1, "at least one recipient").max(20, "at most 20 recipients")),
  caCertificate: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .max(20_000)
      .regex(/-----BEGIN CERTIFICATE-----/, "must be a PEM certificate")
      .optional(),
  ),
});
type EmailConfig = z.infer<typeof config>;

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function emailSubject(m: AlertMessage): string {
  return clip(`[Deckhand] ${m.title}`.replace(/[\r\n]+/g, " "), 200);
}

export function emailText(m: AlertMessage): string {
  return [m.headline, "", ...m.facts.map((f) => `${f.label}: ${f.value}`), "", ...m.links.map((l) => `${l.label}: ${l.url}`)].join("\n").trimEnd() + "\n";
}

const TONE_COLOURS = { bad: "#dc2626", warn: "#d97706", good: "#16a34a", info: "#4f46e5" } as const;

export function emailHtml(m: AlertMessage): string {
  const rows = m.facts.map((f) => `<tr><th align="left" style="padding:4px 12px 4px 0;vertical-align:top">${escapeHtml(f.label)}</th><td style="padding:4px 0">${escapeHtml(f.value)}</td></tr>`).join("");
  const links = m.links.map((l) => `<a href="${escapeHtml(l.url)}" style="margin-right:16px">${escapeHtml(l.label)}</a>`).join("");
  return [
    `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#0f172a">`,
    `<h2 style="color:${TONE_COLOURS[m.tone]};margin:0 0 8px">${escapeHtml(m.title)}</h2>`,
    `<p style="margin:0 0 12px">${escapeHtml(m.headline)}</p>`,
    `<table style="border-collapse:collapse;font-size:14px">${rows}</table>`,
    links ? `<p style="margin:16px 0 0">${links}</p>` : "",
    `</body></html>`,
  ].join("");
}

/** The whole send, like a webhook's (the delivery's lease assumes a send ends within 10 s). */
const TIMEOUT_MS = 10_000;

async function sendMail(m: AlertMessage, c: EmailConfig, ctx: SendContext): Promise<SendResult> {
  const vetted = await vetHost(c.host, ctx.guard, ctx.resolve);
  const transport = nodemailer.createTransport({
    host: vetted.address,
    port: c.port,
    secure: c.secure,
    requireTLS: !c.secure && c.requireTls,
    auth: c.username ? { user: c.username, pass: c.password ?? "" } : undefined,
    tls: { ...(isIP(c.host) ? {} : { servername: c.host }), ...(c.caCertificate ? { ca: c.caCertificate } : {}), minVersion: "TLSv1.2" },
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS,
  });
  let timer: NodeJS.Timeout | undefined;
  const stopped = new Promise<never>((_, reject) => {
    const stop = (why: string) => {
      transport.close();
      reject(new Error(why));
    };
    timer = setTimeout(() => stop(`timed out after ${TIMEOUT_MS / 1000} s`), TIMEOUT_MS);
    ctx.signal?.addEventListener("abort", () => stop("cancelled"), { once: true });
  });
  try {
    const sending = transport.sendMail({
      from: c.from,
      to: c.to,
      subject: emailSubject(m),
      text: emailText(m),
      html: emailHtml(m),
      headers: { "X-Deckhand-Event": m.event, "X-Deckhand-Delivery": ctx.deliveryId },
    });
    sending.catch(() => undefined); // when the deadline wins, the send's own failure comes later and means nothing
    const info = await Promise.race([sending, stopped]);
    const rejected = (info.rejected ?? []).map(String);
    if (rejected.length) return { ok: false, status: null, error: `the server refused ${rejected.join(", ")}` };
    return { ok: true, status: null, error: null };
  } finally {
    clearTimeout(timer);
    stopped.catch(() => undefined);
    transport.close();
  }
}

export const emailProvider: AlertProvider<EmailConfig> = {
  type: "email",
  label: "E-mail (SMTP)",
  config,
  secrets: ["password"],
  hosts: (c) => [c.host],
  hint: (c) => `smtp://${c.host}:${c.port} → ${c.to.length === 1 ? c.to[0] : `${c.to.length} recipients`}`,
  send: async (m, c, ctx) => {
    try {
      return await sendMail(m, c, ctx);
    } catch (err) {
      if (err instanceof TargetDeniedError) return { ok: false, status: null, error: err.message };
      const { response, code } = err as { response?: unknown; code?: unknown };
      const detail = typeof response === "string" ? response : describeNetworkError(err);
      // nodemailer's ETLS with the server's answer: it refused STARTTLS, and requireTls let nothing (no password) cross in the clear.
      if (code === "ETLS" && typeof response === "string") return { ok: false, status: null, error: `SMTP: the server would not start TLS (STARTTLS), so nothing was sent (${clip(detail, 200)})` };
      return { ok: false, status: null, error: `SMTP: ${clip(detail, 300)}` };
    }
  },
};
