import { CheckTimeoutError } from "./deadline";

const CODES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ENOTFOUND: "name did not resolve",
  EAI_AGAIN: "name resolution failed (temporary)",
  ETIMEDOUT: "connection timed out",
  EPIPE: "connection closed",
  HPE_INVALID_CONSTANT: "invalid HTTP response",
};

/** One line for the status bar; never a stack trace. */
export function describeNetworkError(err: unknown): string {
  if (err instanceof CheckTimeoutError) return err.message;
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code && CODES[code]) return `${CODES[code]} (${code})`;
    if (code?.startsWith("ERR_TLS") || code?.includes("CERT") || code?.startsWith("UNABLE_TO_") || code === "DEPTH_ZERO_SELF_SIGNED_CERT") return `TLS: ${err.message}`;
    return err.message.slice(0, 300) || err.name;
  }
  return String(err).slice(0, 300);
}
