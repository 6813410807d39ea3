import type { AddressGuard, Resolver } from "../network";

export interface CheckOutcome {
  ok: boolean;
  /** Time to the answer (HTTP headers, TCP connect, SSH command exit); the timeout when it hung. */
  latencyMs: number | null;
  /** One short line for people: "HTTP 200", "timed out after 5000 ms", "exit 3: inactive". */
  detail: string;
}

export interface CheckContext {
  guard: AddressGuard;
  resolve?: Resolver;
  /** Aborted when the scheduler stops; the check ends at once as a failure that is not recorded. */
  signal?: AbortSignal;
}

export class CheckTimeoutError extends Error {
  override name = "CheckTimeoutError";
  constructor(readonly timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
  }
}

/** Rejects as soon as the signal aborts, so a hung DNS lookup or handshake never outlives the check. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

/**
 * A signal that fires at the check's timeout or when the caller's signal fires, whichever is first.
 * `done()` must be called when the check ends so the timer does not keep the process alive.
 */
export function checkDeadline(timeoutMs: number, outer?: AbortSignal): { signal: AbortSignal; done(): void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new CheckTimeoutError(timeoutMs)), timeoutMs);
  const onOuter = () => controller.abort(outer?.reason);
  outer?.addEventListener("abort", onOuter, { once: true });
  if (outer?.aborted) onOuter();
  return {
    signal: controller.signal,
    done() {
      clearTimeout(timer);
      outer?.removeEventListener("abort", onOuter);
    },
  };
}

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
    if (code?.startsWith("ERR_TLS") || code?.includes("CERT") || code === "DEPTH_ZERO_SELF_SIGNED_CERT") return `TLS: ${err.message}`;
    return err.message.slice(0, 300) || err.name;
  }
  return String(err).slice(0, 300);
}
