import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client";
import { env } from "../env";
import { log } from "../log";
import { connectionFields } from "./url";

export type { Prisma } from "../generated/prisma/client";

/** Secret columns are omitted from every query unless a caller asks for them by name. */
const omitSecrets = {
  user: { passwordHash: true, totpSecretEncrypted: true, totpPendingSecretEncrypted: true },
  app: { encryptedRepoCredential: true },
  sshKey: { encryptedPrivateKey: true },
  appSecret: { encryptedValue: true },
  notificationChannel: { encryptedUrl: true, encryptedConfig: true },
} as const;

/**
 * A process frozen inside a transaction (a paused container, a stalled VM) keeps its locks: the deploy
 * sweeper, the monitor claims and every audited action (one chain lock) would wait for it. Postgres ends
 * such a session after this long; no transaction here sits idle that long (actions are capped at 20 s).
 */
const IDLE_IN_TRANSACTION_TIMEOUT_MS = 20_000;

/**
 * node-postgres emits a connection's end (Postgres restarting: 57P01) as an 'error' event on its client, and
 * an 'error' event nobody listens to ends the process. The pool listens only while a client is idle and the
 * adapter only during a transaction, so a client in between (a transaction Prisma expired, say) took the
 * whole worker down when Postgres restarted. Every client gets a listener for its life: the error is logged,
 * and the pool drops the broken client when it is released; the query that was using it fails on its own.
 */
function poolWithErrorListeners(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool(config);
  pool.on("error", (err) => log.warn({ err: { message: err.message } }, "idle database connection lost"));
  pool.on("connect", (client) => {
    client.on("error", (err) => log.warn({ err: { message: err.message } }, "database connection lost"));
  });
  return pool;
}

export function createDbClient(url: string, poolSize = 10) {
  const pool = poolWithErrorListeners({
    ...connectionFields(url),
    max: poolSize,
    connectionTimeoutMillis: 5_000,
    // TCP keepalive, so a connection to a database that vanished (failover, cut link) is found dead in about a
    // minute, not after the kernel's two hours.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MS,
  });
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  return new PrismaClient({ adapter, omit: omitSecrets });
}

export type Db = ReturnType<typeof createDbClient>;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

const globalForDb = globalThis as unknown as { deckhandDb?: Db };

function databaseUrl(): string {
  const url = env().DATABASE_URL;
  if (!url) {
    throw new Error("DATABASE_URL is not set: start Deckhand with `npm start` (embedded Postgres) or set DATABASE_URL");
  }
  return url;
}

/** The process-wide client, created on first use. */
export function db(): Db {
  globalForDb.deckhandDb ??= createDbClient(databaseUrl());
  return globalForDb.deckhandDb;
}
