import pg from "pg";
import type PgBoss from "pg-boss";
import { env } from "../env";
import { log } from "../log";
import { runDeploy } from "../deploy/runner";
import { OutageGrace, recoverDeploys } from "../deploy/recovery";
import { db } from "../db/client";
import { isConnectionLoss, retryUntil } from "../db/retry";
import { reconcileAppHealthMonitors } from "../health/monitors";
import { AddressGuard, loadAddressGuard, type Resolver } from "../health/network";
import { deliverNotification, requeueStrandedDeliveries } from "../health/notify";
import { pruneHealthHistory, rollUpResults } from "../health/rollups";
import { startHealthSchedulerFromEnv } from "../health/scheduler";
import type { BucketUnit } from "../health/time";
import { removeWorker, reportWorkerAlive, workerKey } from "./presence";
import { createBoss, ensureQueues, QUEUES, SCHEDULES, useBossForSending, WAKE_CHANNEL, type DeployJob, type NotifyJob, type QueueKey } from "./queues";

export interface WorkerHandle {
  stop(): Promise<void>;
}

const POLL_MS = 2_000;

let rollbackGuardInstalled = false;

/**
 * Prisma 6.19 rolls back a transaction that outlived its timeout from a timer and leaves a failure of that
 * rollback unhandled. It happens to a worker frozen mid-transaction until Postgres ended the session
 * (lib/db/client.ts: idle_in_transaction_session_timeout): the transaction is over either way, so the
 * worker lives on. Our own code awaits every query, so an unhandled driver error can only come from there;
 * any other unhandled rejection still ends the process, as it would without this listener.
 */
function surviveFailedTimeoutRollbacks(): void {
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

type Handler = (job: PgBoss.Job<object>) => Promise<void>;

/**
 * Runs one queue's jobs, at most `capacity` at once: fetch what there is room for, run each, record its
 * outcome. Not pg-boss's work(): that records an outcome without awaiting it, so a database outage at that
 * moment is an unhandled rejection that kills the worker (seen in the scale test: every worker died on a 3 s
 * Postgres restart). Here an outcome is retried until Postgres is back, and a failed fetch only waits for
 * the next poll.
 */
async function runQueue(boss: PgBoss, queue: string, capacity: number, handle: Handler, waker: Waker, stopping: () => boolean): Promise<void> {
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

/** The address policy for webhook sends, re-read at most every 15 s. */
function cachedGuard(): () => Promise<AddressGuard> {
  let guard: AddressGuard | null = null;
  let loadedAt = 0;
  return async () => {
    if (!guard || Date.now() - loadedAt > 15_000) {
      guard = await loadAddressGuard(db()).catch(() => guard ?? new AddressGuard());
      loadedAt = Date.now();
    }
    return guard;
  };
}

export interface JobHandlerOptions {
  resolve?: Resolver;
  rawRetentionDays: number;
  rollupRetentionDays: Record<BucketUnit, number>;
}

/** What each queue's job does. Deploys take their own slots (DECKHAND_WORKER_CONCURRENCY, see startWorker); checks are fetched by the health scheduler. */
export function jobHandlers(opts: JobHandlerOptions): Record<Exclude<QueueKey, "deploy" | "check">, { capacity: number; handle: Handler }> {
  const guard = cachedGuard();
  return {
    notify: {
      capacity: 16,
      handle: async (job) => {
        const { deliveryId } = job.data as NotifyJob;
        await deliverNotification(db(), deliveryId, { guard: await guard(), resolve: opts.resolve });
      },
    },
    rollup: { capacity: 1, handle: async () => void (await rollUpResults(db())) },
    retention: {
      capacity: 1,
      handle: async () => void (await pruneHealthHistory(db(), { rawDays: opts.rawRetentionDays, rollupDays: opts.rollupRetentionDays })),
    },
    appMonitors: {
      capacity: 1,
      handle: async () => {
        const r = await reconcileAppHealthMonitors(db());
        if (r.refused.length) log.warn({ apps: r.refused }, "app health URLs refused by the network policy: no monitor for them");
      },
    },
  };
}

export interface JobRunners {
  stop(): Promise<void>;
}

/**
 * Works the given queues on `boss` until stopped (the worker runs all of them; tests run the ones they need).
 * LISTEN/NOTIFY wakes idle loops so a new job starts now, not at the next poll.
 */
export async function startJobRunners(
  boss: PgBoss,
  databaseUrl: string,
  queues: Partial<Record<QueueKey, { capacity: number; handle: Handler }>>,
): Promise<JobRunners> {
  const waker = new Waker();
  let stopping = false;
  const loops = (Object.entries(queues) as [QueueKey, { capacity: number; handle: Handler }][]).map(([key, q]) =>
    runQueue(boss, QUEUES[key], q.capacity, q.handle, waker, () => stopping),
  );
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

/**
 * The background worker: pg-boss on the same Postgres, so any number of workers on any machines share
 * the queues with nothing else to run. A deploy job runs on exactly one worker (the runner also claims
 * the deploy row atomically); alert deliveries, rollups, retention and the app-monitor reconcile are
 * pg-boss jobs too (the periodic ones on pg-boss cron: one job per tick for the whole cluster); health
 * checks are claimed by the scheduler straight from the Monitor table.
 */
export async function startWorker(databaseUrl: string): Promise<WorkerHandle> {
  surviveFailedTimeoutRollbacks();
  const boss = createBoss(databaseUrl, "worker");
  await boss.start();
  await ensureQueues(boss);
  useBossForSending(boss);
  for (const [key, cron] of Object.entries(SCHEDULES) as [QueueKey, string][]) await boss.schedule(QUEUES[key], cron);
  // Rollups and app monitors are brought up to date at start rather than at the next minute (once per minute
  // for the cluster, however many workers start together).
  for (const key of ["rollup", "appMonitors"] as const) await boss.send(QUEUES[key], {}, { singletonKey: "startup", singletonSeconds: 60 });

  const e = env();
  const rollupDays = e.DECKHAND_MONITOR_ROLLUP_RETENTION_DAYS;
  const runners = await startJobRunners(boss, databaseUrl, {
    deploy: { capacity: e.DECKHAND_WORKER_CONCURRENCY, handle: async (job) => runDeploy((job.data as DeployJob).deployId) },
    ...jobHandlers({
      rawRetentionDays: e.DECKHAND_MONITOR_RAW_RETENTION_DAYS,
      rollupRetentionDays: { minute: e.DECKHAND_MONITOR_MINUTE_ROLLUP_RETENTION_DAYS ?? rollupDays, hour: rollupDays, day: rollupDays },
    }),
  });

  const staleSeconds = e.DECKHAND_DEPLOY_STALE_SECONDS;
  const presence = workerKey();
  const startedAt = new Date();
  let lastDeliverySweep = 0;
  const grace = new OutageGrace(staleSeconds);
  const sweep = async () => {
    await reportWorkerAlive(db(), presence, startedAt).catch((err: unknown) => {
      grace.trouble();
      log.warn({ err }, "could not report this worker alive");
    });
    try {
      await recoverDeploys(boss, grace, staleSeconds);
      if (Date.now() - lastDeliverySweep > 60_000) {
        lastDeliverySweep = Date.now();
        await requeueStrandedDeliveries(db());
      }
    } catch (err) {
      if (isConnectionLoss(err)) grace.trouble();
      log.error({ err }, "deploy sweeper failed");
    }
  };
  let sweeping: Promise<void> = sweep(); // the first one reports this worker alive before start-up returns
  await sweeping;
  const sweeper = setInterval(() => {
    sweeping = sweep();
  }, 5_000);

  const health = await startHealthSchedulerFromEnv(databaseUrl, boss);

  log.info({ deployConcurrency: e.DECKHAND_WORKER_CONCURRENCY }, "worker started");
  return {
    async stop() {
      clearInterval(sweeper);
      await sweeping; // so it cannot report this worker alive again after it is removed
      await health.stop();
      await runners.stop();
      await removeWorker(db(), presence).catch(() => undefined);
      await boss.stop({ graceful: true, timeout: 10_000 });
      // Only now: a handler still finishing must not start a new pg-boss to send through.
      useBossForSending(null);
      log.info("worker stopped");
    },
  };
}
