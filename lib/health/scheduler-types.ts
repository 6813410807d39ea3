import type PgBoss from "pg-boss";
import type { Db } from "../db/client";
import type { Resolver } from "../net/guard";

/** What startHealthScheduler takes and returns (lib/health/scheduler.ts). */

export interface SchedulerStats {
  workerId: string;
  started: number;
  completed: number;
  /** Claimed checks dropped because this worker could not start them within half an interval (it stalled or was saturated). */
  skipped: number;
  written: number;
  writeErrors: number;
  inFlight: number;
  waiting: number;
  buffered: number;
  lagMs: { p50: number; p99: number; max: number; samples: number };
}

export interface HealthSchedulerOptions {
  /** Opens the scheduler's own connection pool; or pass `client` (tests). */
  databaseUrl?: string;
  client?: Db;
  /** Checks running at once; a hung check holds one slot until its own timeout, never the loop. */
  concurrency?: number;
  /** How often due monitors are claimed and check jobs fetched. */
  pollMs?: number;
  /** Monitors due within this much are claimed early and started on their slot by a local timer. */
  lookaheadMs?: number;
  /** Results are written in batches at least this often. */
  flushMs?: number;
  /** How often heartbeat monitors' missed deadlines are looked for (default 1 s). */
  heartbeatSweepMs?: number;
  resolve?: Resolver;
  workerId?: string;
  /** The worker's pg-boss; without it the scheduler starts its own (tests). */
  boss?: PgBoss;
}

export interface HealthScheduler {
  stop(): Promise<void>;
  stats(): SchedulerStats;
  resetStats(): void;
  /** Writes buffered results now (tests and shutdown). */
  flush(): Promise<void>;
}
