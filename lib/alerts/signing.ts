import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * The generic webhook's signature (docs/alerts.md): HMAC-SHA256, keyed with the channel's secret, over
 * `<timestamp>.<body>` where the timestamp is the X-Deckhand-Timestamp header (Unix seconds) and the body the
 * exact bytes received. Sent as `X-Deckhand-Signature: v1=<hex>`.
 */
export const SIGNATURE_HEADER = "x-deckhand-signature";
export const TIMESTAMP_HEADER = "x-deckhand-timestamp";
/** A receiver refuses a request whose timestamp is further than this from its own clock (a replay). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function signBody(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** What a receiver does, step by step (the same steps docs/alerts.md gives). */
export function verifySignature(secret: string, headers: { signature: string | undefined; timestamp: string | undefined }, body: string, now = Date.now()): boolean {
  if (!headers.signature || !headers.timestamp || !/^\d{1,12}$/.test(headers.timestamp)) return false;
  const timestamp = Number(headers.timestamp);
  if (Math.abs(now / 1000 - timestamp) > SIGNATURE_TOLERANCE_SECONDS) return false;
  const expected = Buffer.from(signBody(secret, timestamp, body));
  const given = Buffer.from(headers.signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
