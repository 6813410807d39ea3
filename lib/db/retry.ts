import { log } from "../log";
import type { Db } from "./client";

/** Postgres restarting or failing over: the connection was refused or cut before anything committed. */
const CONNECTION_LOSS = new Set([
  "P1001", // can't reach the database server
  "P1017", // the server closed the connection
  "57P01", // terminating connection due to administrator command (shutdown)
  "57P02", // crash shutdown
  "57P03", // the database system is starting up / shutting down
  "ECONNREFUSED",
  "ECONNRESET",
  // Prisma's driver-adapter error kinds (meta.driverAdapterError.cause.kind).
  "DatabaseNotReachable",
  "ConnectionClosed",
]);

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

/** node-postgres ends a pooled connection the server dropped with a bare Error (no code). */
const TERMINATED = /Connection terminated unexpectedly|Connection terminated due to connection timeout/;

export function isConnectionLoss(err: unknown): boolean {
  if (codesOf(err).some((c) => CONNECTION_LOSS.has(c))) return true;
  for (let e: unknown = err, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const message = (e as { message?: unknown }).message;
    if (typeof message === "string" && TERMINATED.test(message)) return true;
  }
  return false;
}

/**
 * The same client, but a query that fails because Postgres is unreachable (a restart, a failover) is tried
 * again with backoff for up to `forMs`, instead of failing the work around it. Only for callers whose
 * writes are idempotent or whose failure is worse than waiting: the deploy runner, which would otherwise
 * fail a deploy over SSH because its database blinked. A query inside a transaction whose connection was
 * lost is not retried (the transaction is gone); the caller retries the whole transaction.
 */
export function retryingOnConnectionLoss(client: Db, forMs = 30_000): Db {
  return client.$extends({
    query: {
      async $allOperations({ args, query, operation, model }) {
        const deadline = Date.now() + forMs;
        for (let attempt = 1; ; attempt++) {
          try {
            return await query(args);
          } catch (err) {
            if (!isConnectionLoss(err) || Date.now() >= deadline) throw err;
            if (attempt === 1) log.warn({ operation, model, code: codesOf(err)[0] }, "database unreachable; retrying until it is back");
            await new Promise((r) => setTimeout(r, Math.min(250 * 2 ** (attempt - 1), 2_000)));
          }
        }
      },
    },
  }) as unknown as Db;
}
