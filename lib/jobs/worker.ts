import pg from "pg";
import type PgBoss from "pg-boss";
import { env } from "../env";
import { log } from "../log";
import { runDeploy } from "../deploy/runner";
import { staleQueuedDeploys, sweepInterruptedDeploys } from "../deploy/sweeper";
import { startHealthSchedulerFromEnv } from "../health/scheduler";
import { createBoss, ensureQueues, QUEUES, WAKE_CHANNEL, type DeployJob } from "./queues";

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
    if (reason instanceof Error && reason.name === "DriverAdapterError") {
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

/**
 * One deploy at a time: fetch a job, run it, record the outcome. Not pg-boss's work(): it records a job's
 * outcome without awaiting it, so a database outage at that moment is an unhandled rejection that kills
 * the worker (seen in the scale test: every worker died on a 3 s Postgres restart). Here the outcome is
 * retried until Postgres is back, and a failed fetch only waits for the next poll.
 */
async function deploySlot(boss: PgBoss, waker: Waker, stopping: () => boolean): Promise<void> {
  while (!stopping()) {
    let job: PgBoss.Job<DeployJob> | undefined;
    try {
      [job] = await boss.fetch<DeployJob>(QUEUES.deploy, { batchSize: 1 });
    } catch (err) {
      log.warn({ err }, "fetching deploy jobs failed; retrying at the next poll");
    }
    if (!job) {
      await waker.wait(POLL_MS);
      continue;
    }
    let failure: unknown = null;
    try {
      await runDeploy(job.data.deployId);
    } catch (err) {
      failure = err;
      log.error({ err, deployId: job.data.deployId }, "deploy job failed");
    }
    await recordJobOutcome(boss, job.id, failure);
  }
}

async function recordJobOutcome(boss: PgBoss, jobId: string, failure: unknown): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      if (failure === null) await boss.complete(QUEUES.deploy, jobId);
      else await boss.fail(QUEUES.deploy, jobId, { message: failure instanceof Error ? failure.message : String(failure) });
      return;
    } catch (err) {
      // The deploy row already holds the truth; an unrecorded job only lingers as active until pg-boss expires it.
      if (attempt >= 30) {
        log.error({ err, jobId }, "could not record a deploy job's outcome");
        return;
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }
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
 * the deploy row atomically); LISTEN/NOTIFY wakes idle workers so a click starts work at once.
 */
export async function startWorker(databaseUrl: string): Promise<WorkerHandle> {
  surviveFailedTimeoutRollbacks();
  const boss = createBoss(databaseUrl, "worker");
  await boss.start();
  await ensureQueues(boss);

  const waker = new Waker();
  let stopping = false;
  const slots = Array.from({ length: env().DECKHAND_WORKER_CONCURRENCY }, () => deploySlot(boss, waker, () => stopping));

  const listener = await listenForWakeUps(databaseUrl, () => waker.wakeAll());

  const staleSeconds = env().DECKHAND_DEPLOY_STALE_SECONDS;
  const sweep = async () => {
    try {
      await sweepInterruptedDeploys(staleSeconds);
      for (const id of await staleQueuedDeploys(staleSeconds)) {
        await boss.send(QUEUES.deploy, { deployId: id } satisfies DeployJob, { singletonKey: id, retryLimit: 0 });
      }
    } catch (err) {
      log.error({ err }, "deploy sweeper failed");
    }
  };
  const sweeper = setInterval(() => void sweep(), 5_000);
  void sweep();

  const health = await startHealthSchedulerFromEnv(databaseUrl);

  log.info({ concurrency: slots.length }, "worker started");
  return {
    async stop() {
      clearInterval(sweeper);
      stopping = true;
      waker.wakeAll();
      await health.stop();
      await listener.stop();
      // Running deploys get a moment to finish; one that does not is interrupted by a live worker's sweeper.
      await Promise.race([Promise.all(slots), new Promise((r) => setTimeout(r, 10_000).unref())]);
      await boss.stop({ graceful: true, timeout: 10_000 });
      log.info("worker stopped");
    },
  };
}
