import net from "node:net";
import tls from "node:tls";
import { abortable, checkDeadline, CheckTimeoutError } from "../../net/deadline";
import { describeNetworkError } from "../../net/errors";
import { hostOf, TargetDeniedError, vetHost } from "../../net/guard";
import { certificateOf, describeExpiry, type CertificateFacts } from "../tls";
import { settleSocket } from "./socket";
import type { CheckContext, CheckOutcome } from "./types";

export interface CertificateCheckSpec {
  host: string;
  port: number;
  timeoutMs: number;
}

/** Node's verification codes in plain words (the code itself follows in brackets). */
const REASONS: Record<string, string> = {
  CERT_HAS_EXPIRED: "the certificate has expired",
  CERT_NOT_YET_VALID: "the certificate is not valid yet",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the certificate is self-signed",
  SELF_SIGNED_CERT_IN_CHAIN: "a self-signed certificate is in the chain",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the certificate's issuer is not trusted (missing intermediate certificate?)",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the certificate's issuer is not trusted",
  ERR_TLS_CERT_ALTNAME_INVALID: "the certificate does not match the host name",
};

export function describeAuthorizationError(code: string): string {
  return REASONS[code] ? `${REASONS[code]} (${code})` : code;
}

/** A TLS handshake with the vetted address, SNI and name check against the host; the certificate is read whether or not it verifies. */
function handshake(host: string, address: string, port: number, signal: AbortSignal, ca?: string[]): Promise<CertificateFacts | null> {
  const name = hostOf(host);
  const socket = tls.connect({
    host: address,
    port,
    // RFC 6066: no SNI for an IP address; the name check then uses the address, which is the host.
    servername: net.isIP(name) ? undefined : name,
    checkServerIdentity: (_h, cert) => tls.checkServerIdentity(name, cert),
    rejectUnauthorized: false,
    ...(ca ? { ca } : {}),
  });
  return settleSocket(socket, "secureConnect", signal, (s) => certificateOf(s, new Date()));
}

/** A certificate monitor: up while the certificate verifies for the host; its days left go to the monitor (lib/health/tls-expiry.ts). */
export async function checkCertificate(spec: CertificateCheckSpec, ctx: CheckContext): Promise<CheckOutcome> {
  const started = performance.now();
  const deadline = checkDeadline(spec.timeoutMs, ctx.signal);
  try {
    const target = await abortable(vetHost(spec.host, ctx.guard, ctx.resolve), deadline.signal);
    const certificate = await handshake(spec.host, target.address, spec.port, deadline.signal, ctx.ca);
    const latencyMs = performance.now() - started;
    if (!certificate) return { ok: false, latencyMs, detail: "TLS: the server presented no certificate" };
    const facts = { certificate };
    if (!certificate.authorized) return { ok: false, latencyMs, detail: `TLS: ${describeAuthorizationError(certificate.authorizationError ?? "not trusted")}, ${describeExpiry(certificate)}`, facts };
    return { ok: true, latencyMs, detail: `certificate ${certificate.subject || "(no subject)"} ${describeExpiry(certificate)}`, facts };
  } catch (err) {
    const reason: unknown = deadline.signal.aborted ? deadline.signal.reason : err;
    if (reason instanceof CheckTimeoutError) return { ok: false, latencyMs: spec.timeoutMs, detail: reason.message };
    if (reason instanceof TargetDeniedError) return { ok: false, latencyMs: null, detail: reason.message };
    return { ok: false, latencyMs: null, detail: describeNetworkError(reason) };
  } finally {
    deadline.done();
  }
}
