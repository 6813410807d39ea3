import { log } from "../log";
import type { Db } from "./client";

/**
 * Errors that mean the statement never ran: no connection could be made, or Postgres ended the session
 * (shutdown, crash recovery), which aborts whatever it was running. Safe to repeat any statement after.
 */
const NEVER_RAN = new Set([
  "P1001", // can't reach the database server
  "ECONNREFUSED",
  "DatabaseNotReachable", // Prisma's driver-adapter error kind for the same
  "57P01", // terminating connection due to administrator command (shutdown)
  "57P02", // terminating connection because of a crash of another server process
  "57P03", // the database system is starting up / shutting down
]);

/**
 * The connection went away without saying why: the statement may or may not have committed. A whole
 * transaction whose own work is idempotent may be repeated after these; a lone write may not.
 */
const CONNECTION_CUT = new Set([
  "P1017", // the server closed the connection
  "P2028", // the interactive transaction's connection is gone (transaction closed)
  "ECONNRESET",
  "ConnectionClosed",
  "TransactionAlreadyClosed",
]);
/** node-postgres ends a connection the server dropped with a bare Error (no code). */
const TERMINATED = /Connection terminated unexpectedly|Connection terminated due to connection timeout|Client has encountered a connection error and is not queryable/;

function codesOf(err: unknown, depth = 0): string[] {
  if (!err || typeof err !== "object" || depth > 4) return [];
  const e = err as {
    code?: unknown;
    cause?: unknown;
    meta?: { code?: unknown; driverAdapterError?: { cause?: { kind?: unknown; code?: unknown; originalCode?: unknown } } };
    message?: unknown;
  };
  const adapter = e.meta?.driverAdapterError?.cause;
  const own = [e.code, e.meta?.code, adapter?.kind, adapter?.code, adapter?.originalCode].filter((c): c is string => typeof c === "string");
  // Prisma reports a raw query's driver error as P2010 with the Postgres code in the message only.
  const inMessage = typeof e.message === "string" ? [...e.message.matchAll(/Code: `([0-9A-Z]{5})`/g)].map((m) => m[1]!) : [];
  return [...own, ...inMessage, ...codesOf(e.cause, depth + 1)];
}

function messages(err: unknown): string[] {
  const out: string[] = [];
  for (let e: unknown = err, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const message = (e as { message?: unknown }).message;
    if (typeof message === "string") out.push(message);
  }
  return out;
}

/** The statement never reached a working session: repeating it cannot apply it twice. */
export function isUnreachable(err: unknown): boolean {
  return codesOf(err).some((c) => NEVER_RAN.has(c));
}

/** Any loss of the database connection, including a cut that may have come after a commit. */
export function isConnectionLoss(err: unknown): boolean {
  return isUnreachable(err) || codesOf(err).some((c) => CONNECTION_CUT.has(c)) || messages(err).some((m) => TERMINATED.test(m));
}

export interface RetryOptions {
  /** Give up (rethrow) once this much time has passed. */
  forMs: number;
  retryIf: (err: unknown) => boolean;
  /** Delay before attempt n+1 (n from 1). */
  delayMs?: (attempt: number) => number;
  onRetry?: (err: unknown, attempt: number) => void;
  /** Checked before each retry: true gives up at once. */
  stop?: () => boolean;
}

/** Runs `work` until it succeeds, or fails with an error not worth retrying, or the time is up. */
export async function retryUntil<T>(work: () => Promise<T>, opts: RetryOptions): Promise<T> {
  const deadline = Date.now() + opts.forMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (!opts.retryIf(err) || Date.now() >= deadline || opts.stop?.()) throw err;
      opts.onRetry?.(err, attempt);
      await new Promise((r) => setTimeout(r, opts.delayMs?.(attempt) ?? 1_000));
    }
  }
}

/** Model operations that only read: one cut mid-statement changed nothing, so it is safe to ask again. */
const READS = new Set(["findUnique", "findUniqueOrThrow", "findFirst", "findFirstOrThrow", "findMany", "count", "aggregate", "groupBy"]);

/**
 * The connection was cut under a statement (a Postgres shutdown while it ran). Not a closed transaction
 * (P2028): a read inside one cannot be asked again on its own, the transaction is gone; it fails at once.
 */
function isCutMidRead(err: unknown): boolean {
  const codes = codesOf(err);
  if (codes.some((c) => c === "P2028" || c === "TransactionAlreadyClosed")) return false;
  return codes.some((c) => CONNECTION_CUT.has(c)) || messages(err).some((m) => TERMINATED.test(m));
}

const backoff = (attempt: number) => Math.min(250 * 2 ** (attempt - 1), 2_000);

/**
 * The same client, but a statement that could not reach Postgres (a restart, a failover) is tried again
 * with backoff for up to `forMs`, instead of failing the work around it. Only errors that prove the
 * statement never ran are retried (see isUnreachable), so no write is applied twice, and reads cut
 * mid-statement (outside a transaction: a read changes nothing); a transaction cut
 * half-way is the caller's to repeat whole (with retryUntil and isConnectionLoss) if its work is idempotent.
 * For the deploy runner, which would otherwise fail a deploy over SSH because its database blinked.
 */
export function retryingOnConnectionLoss(client: Db, forMs = 30_000): Db {
  return client.$extends({
    query: {
      async $allOperations({ args, query, operation, model }) {
        return retryUntil(() => query(args), {
          forMs,
          retryIf: (err) => isUnreachable(err) || (READS.has(operation) && isCutMidRead(err)),
          delayMs: backoff,
          onRetry: (err, attempt) => {
            if (attempt === 1) log.warn({ operation, model, code: codesOf(err)[0] }, "database unreachable; retrying until it is back");
          },
        });
      },
    },
  }) as unknown as Db;
}
