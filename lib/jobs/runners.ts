import pg from "pg";
import type PgBoss from "pg-boss";
import { isConnectionLoss, retryUntil } from "../db/retry";
import { log } from "../log";
import { QUEUES, WAKE_CHANNEL, type QueueKey } from "./queues";

const POLL_MS = 2_000;

let rollbackGuardInstalled = false;

/**
 * Prisma 6.19 rolls back a transaction that outlived its timeout from a timer and leaves a failure of that
 * rollback unhandled. It happens to a worker frozen mid-transaction until Postgres ended the session
 * (lib/db/client.ts: idle_in_transaction_session_timeout): the transaction is over either way, so the
 * worker lives on. Our own code awaits every query, so an unhandled driver error can only come from there;
 * any other unhandled rejection still ends the process, as it would without this listener.
 */
export function surviveFailedTimeoutRollbacks(): void {
  if (rollbackGuardInstalled) return;
  rollbackGuardInstalled = true;
  process.on("unhandledRejection", (reason) => {
    // The same rollback failing on node-postgres's own error for the closed connection (seen in the scale test).
    const fromTransactionManager = reason instanceof Error && isConnectionLoss(reason) && /transaction-manager/.test(reason.stack ?? "");
    if (reason instanceof Error && (reason.name === "DriverAdapterError" || fromTransactionManager)) {
      log.warn({ err: reason }, "a timed-out transaction could not be rolled back: its connection was already closed");
      return;
    }
    throw reason;
  });
}

/** Idle deploy slots wait here: for a NOTIFY (all wake at once) or their next poll. */
class Waker {
  private readonly waiting = new Set<() => void>();
  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiting.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiting.add(done);
    });
  }
  wakeAll(): void {
    for (const done of [...this.waiting]) done();
  }
}

export type JobHandler = (job: PgBoss.Job<object>) => Promise<void>;

/** One queue's work: what a job does, and how many run at once on one worker. */
export interface QueueWork {
  capacity: number;
  handle: JobHandler;
}

/**
 * Runs one queue's jobs, at most `capacity` at once: fetch what there is room for, run each, record its
 * outcome. Not pg-boss's work(): that records an outcome without awaiting it, so a database outage at that
 * moment is an unhandled rejection that kills the worker (seen in the scale test: every worker died on a 3 s
 * Postgres restart). Here an outcome is retried until Postgres is back, and a failed fetch only waits for
 * the next poll.
 */
async function runQueue(boss: PgBoss, queue: string, capacity: number, handle: JobHandler, waker: Waker, stopping: () => boolean): Promise<void> {
  const running = new Set<Promise<void>>();
  while (!stopping()) {
    let jobs: PgBoss.Job<object>[] = [];
    if (running.size < capacity) {
      try {
        jobs = await boss.fetch<object>(queue, { batchSize: capacity - running.size });
      } catch (err) {
        log.warn({ err, queue }, "fetching jobs failed; retrying at the next poll");
      }
    }
    for (const job of jobs) {
      const run: Promise<void> = (async () => {
        let failure: unknown = null;
        try {
          await handle(job);
        } catch (err) {
          failure = err;
          log.error({ err, queue, jobId: job.id }, "job failed");
        }
        await recordJobOutcome(boss, queue, job.id, failure, stopping);
      })().finally(() => {
        running.delete(run);
        // A slot is free: look for more at once.
        if (running.size === capacity - 1) waker.wakeAll();
      });
      running.add(run);
    }
    if (jobs.length === 0 || running.size >= capacity) await waker.wait(POLL_MS);
  }
  await Promise.all(running);
}

/** Retried until Postgres is back (for a minute), or the worker stops. */
async function recordJobOutcome(boss: PgBoss, queue: string, jobId: string, failure: unknown, stopping: () => boolean): Promise<void> {
  await retryUntil(
    async () => {
      if (failure === null) await boss.complete(queue, jobId);
      else await boss.fail(queue, jobId, { message: failure instanceof Error ? failure.message : String(failure) });
    },
    { forMs: 60_000, retryIf: () => true, delayMs: () => POLL_MS, stop: stopping },
  ).catch((err: unknown) => {
    // The domain rows already hold the truth; an unrecorded job only lingers as active until pg-boss expires it.
    log.error({ err, queue, jobId }, "could not record a job's outcome");
  });
}

export interface JobRunners {
  stop(): Promise<void>;
}

/**
 * Works the given queues on `boss` until stopped (the worker runs all of them; tests run the ones they need).
 * LISTEN/NOTIFY wakes idle loops so a new job starts now, not at the next poll.
 */
export async function startJobRunners(boss: PgBoss, databaseUrl: string, queues: Partial<Record<QueueKey, QueueWork>>): Promise<JobRunners> {
  const waker = new Waker();
  let stopping = false;
  const loops = (Object.entries(queues) as [QueueKey, QueueWork][]).map(([key, q]) => runQueue(boss, QUEUES[key], q.capacity, q.handle, waker, () => stopping));
  const listener = await listenForWakeUps(databaseUrl, () => waker.wakeAll());
  return {
    async stop() {
      stopping = true;
      waker.wakeAll();
      await listener.stop();
      // Running jobs get a moment to finish; a deploy that does not is interrupted by a live worker's sweeper,
      // any other job is retried once pg-boss expires it.
      await Promise.race([Promise.all(loops), new Promise((r) => setTimeout(r, 10_000).unref())]);
    },
  };
}

/**
 * LISTEN on the wake-up channel, and again after the connection is lost (a Postgres restart or failover):
 * without it a worker would fall back to polling for good. Each (re)connection wakes the workers once,
 * for jobs sent while nobody listened.
 */
async function listenForWakeUps(databaseUrl: string, wake: () => void): Promise<{ stop(): Promise<void> }> {
  let stopped = false;
  let current: pg.Client | null = null;
  let retry: NodeJS.Timeout | undefined;
  const reconnectLater = () => {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().catch((err: unknown) => {
        log.warn({ err }, "job wake-up listener could not reconnect; polling until it does");
        reconnectLater();
      });
    }, 1_000);
  };
  const connect = async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    client.on("error", (err) => log.warn({ err }, "job wake-up listener lost; reconnecting (polling meanwhile)"));
    client.on("end", () => {
      if (current === client) current = null;
      reconnectLater();
    });
    client.on("notification", wake);
    try {
      await client.connect();
      await client.query(`LISTEN ${WAKE_CHANNEL}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    if (stopped) return void (await client.end().catch(() => undefined));
    current = client;
    wake();
  };
  try {
    await connect();
  } catch (err) {
    stopped = true;
    clearTimeout(retry);
    throw err;
  }
  return {
    async stop() {
      stopped = true;
      clearTimeout(retry);
      await current?.end().catch(() => undefined);
    },
  };
}
