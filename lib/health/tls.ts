import type { PeerCertificate, TLSSocket } from "node:tls";
import { z } from "zod";

/**
 * TLS certificates as checks see them: what is read off the peer certificate, how many days it has left, and
 * which warning thresholds (30/14/7 days by default, per monitor) a check's reading crosses.
 */

export const DAY_MS = 86_400_000;
export const DEFAULT_CERT_WARN_DAYS = [30, 14, 7];

/** What a check found out about the certificate the server presented (kept in the result's facts). */
export interface CertificateFacts {
  notAfter: string;
  notBefore: string;
  subject: string;
  issuer: string;
  /** SHA-256 of the DER certificate, colon-separated hex (as openssl prints it). */
  fingerprint: string;
  daysLeft: number;
  /** Whether the chain verified against the trusted CAs and the name matched. */
  authorized: boolean;
  authorizationError: string | null;
}

/**
 * Whole days left, rounded up: a certificate made "-days 10" a moment ago has 10 days left. An expired one has
 * 0 (expired within the last day) or minus the whole days since it expired.
 */
export function daysLeft(notAfter: Date, now: Date): number {
  const ms = notAfter.getTime() - now.getTime();
  return ms > 0 ? Math.ceil(ms / DAY_MS) : -Math.floor(-ms / DAY_MS) || 0;
}

function name(part: PeerCertificate["subject"] | undefined): string {
  if (!part) return "";
  const cn = part.CN;
  const o = part.O;
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  return [first(cn) ? `CN=${first(cn)}` : null, first(o) ? `O=${first(o)}` : null].filter(Boolean).join(", ");
}

/** Reads the peer certificate of a connected TLS socket; null when there is none (an HTTP response, a closed socket). */
export function certificateOf(socket: TLSSocket, now: Date): CertificateFacts | null {
  if (typeof socket.getPeerCertificate !== "function") return null;
  const cert = socket.getPeerCertificate();
  if (!cert || !cert.valid_to) return null;
  const notAfter = new Date(cert.valid_to);
  if (Number.isNaN(notAfter.getTime())) return null;
  const err = socket.authorizationError;
  return {
    notAfter: notAfter.toISOString(),
    notBefore: new Date(cert.valid_from).toISOString(),
    subject: name(cert.subject),
    issuer: name(cert.issuer),
    fingerprint: cert.fingerprint256 ?? "",
    daysLeft: daysLeft(notAfter, now),
    authorized: socket.authorized,
    authorizationError: err ? String(err instanceof Error ? err.message : err) : null,
  };
}

/** "expires in 10 days (2026-12-13)", "expired 2 days ago (2026-12-01)". */
export function describeExpiry(c: Pick<CertificateFacts, "notAfter" | "daysLeft">): string {
  const date = c.notAfter.slice(0, 10);
  if (c.daysLeft <= 0) return `expired ${-c.daysLeft === 0 ? "today" : `${-c.daysLeft} day${c.daysLeft === -1 ? "" : "s"} ago`} (${date})`;
  return `expires in ${c.daysLeft} day${c.daysLeft === 1 ? "" : "s"} (${date})`;
}

/** `certWarnDays` on monitors: distinct whole days, largest first. */
export const certWarnDaysSchema = z
  .array(z.coerce.number({ message: "certWarnDays must be numbers of days" }).int("certWarnDays must be whole days").min(1, "certWarnDays must be at least 1 day").max(365, "certWarnDays must be at most 365 days"), {
    error: "certWarnDays must be a list of days, e.g. [30, 14, 7]",
  })
  .max(10, "certWarnDays: at most 10 thresholds")
  .transform((days) => [...new Set(days)].sort((a, b) => b - a));

/**
 * The thresholds a reading should alert now: each threshold the certificate is within that is below the
 * smallest one already alerted for it (`alerted`, null for none). A renewed certificate starts over (the
 * caller passes null). Largest first; the last one is what to remember as alerted.
 */
export function thresholdsToAlert(days: number, thresholds: number[], alerted: number | null): number[] {
  return [...thresholds].sort((a, b) => b - a).filter((t) => days <= t && (alerted === null || t < alerted));
}

/** Whether a new reading is a renewed (or replaced by a longer-lived) certificate: it expires later than the one stored. */
export function isRenewal(stored: Date | null, seen: Date): boolean {
  return stored !== null && seen.getTime() > stored.getTime();
}
