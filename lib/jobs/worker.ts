import pg from "pg";
import { env } from "../env";
import { log } from "../log";
import { runDeploy } from "../deploy/runner";
import { staleQueuedDeploys, sweepInterruptedDeploys } from "../deploy/sweeper";
import { startHealthSchedulerFromEnv } from "../health/scheduler";
import { createBoss, ensureQueues, QUEUES, WAKE_CHANNEL, type DeployJob } from "./queues";

export interface WorkerHandle {
  stop(): Promise<void>;
}

/**
 * The background worker: pg-boss on the same Postgres, so any number of workers on any machines share
 * the queues with nothing else to run. A deploy job runs on exactly one worker (the runner also claims
 * the deploy row atomically); LISTEN/NOTIFY wakes idle workers so a click starts work at once.
 */
export async function startWorker(databaseUrl: string): Promise<WorkerHandle> {
  const boss = createBoss(databaseUrl, "worker");
  await boss.start();
  await ensureQueues(boss);

  const workerIds: string[] = [];
  for (let i = 0; i < env().DECKHAND_WORKER_CONCURRENCY; i++) {
    workerIds.push(
      await boss.work<DeployJob>(QUEUES.deploy, { batchSize: 1, pollingIntervalSeconds: 2 }, async ([job]) => {
        if (job) await runDeploy(job.data.deployId);
      }),
    );
  }

  const listener = new pg.Client({ connectionString: databaseUrl });
  listener.on("error", (err) => log.warn({ err }, "job wake-up listener lost; falling back to polling"));
  await listener.connect();
  await listener.query(`LISTEN ${WAKE_CHANNEL}`);
  listener.on("notification", () => workerIds.forEach((id) => boss.notifyWorker(id)));

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

  log.info({ concurrency: workerIds.length }, "worker started");
  return {
    async stop() {
      clearInterval(sweeper);
      await health.stop();
      await listener.end().catch(() => undefined);
      await boss.stop({ graceful: true, timeout: 10_000 });
      log.info("worker stopped");
    },
  };
}
