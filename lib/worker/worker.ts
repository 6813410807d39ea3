import { upgradeLegacyChannels } from "../alerts/config";
import { deliverNotification, requeueStrandedDeliveries } from "../alerts/deliveries";
import { sealPlainRepoCredentials } from "../apps/repo-credentials";
import { db } from "../db/client";
import { isConnectionLoss } from "../db/retry";
import { expireApprovalRequests } from "../deploy/approvals";
import { runDeploy } from "../deploy/runner";
import { OutageGrace, recoverDeploys } from "../deploy/recovery";
import { env } from "../env";
import { renotifyOpenIncidents } from "../health/incidents";
import { reconcileAppHealthMonitors } from "../health/monitors";
import { pruneHealthHistory, rollUpResults } from "../health/rollups";
import { startHealthScheduler } from "../health/scheduler";
import type { BucketUnit } from "../health/time";
import { removeWorker, reportWorkerAlive, workerKey } from "../jobs/presence";
import { CRON_JOB_OPTIONS, createBoss, ensureQueues, QUEUES, SCHEDULES, useBossForSending, type DeployJob, type NotifyJob, type QueueKey } from "../jobs/queues";
import { startJobRunners, surviveFailedTimeoutRollbacks, type QueueWork } from "../jobs/runners";
import { log } from "../log";
import { AddressGuard, loadAddressGuard, type Resolver } from "../net/guard";

/**
 * The worker process, put together: what each queue's job does, the periodic sweep, and the health scheduler,
 * on the job infrastructure of lib/jobs. The one place that knows every room the worker drives.
 */

export interface WorkerHandle {
  stop(): Promise<void>;
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
export function jobHandlers(opts: JobHandlerOptions): Record<Exclude<QueueKey, "deploy" | "check">, QueueWork> {
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
    renotify: { capacity: 1, handle: async () => void (await renotifyOpenIncidents(db())) },
    approvals: { capacity: 1, handle: async () => void (await expireApprovalRequests(db())) },
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
  // Repository URLs stored before their credentials were encrypted are sealed now (SQL has no DECKHAND_SECRET).
  await sealPlainRepoCredentials(db()).catch((err: unknown) => log.error({ err }, "could not encrypt stored repository credentials; will try at the next start"));
  const boss = createBoss(databaseUrl, "worker");
  await boss.start();
  await ensureQueues(boss);
  useBossForSending(boss);
  for (const [key, cron] of Object.entries(SCHEDULES) as [QueueKey, string][]) await boss.schedule(QUEUES[key], cron, {}, CRON_JOB_OPTIONS);
  // Rollups and app monitors are brought up to date at start rather than at the next minute (once per minute
  // for the cluster, however many workers start together).
  for (const key of ["rollup", "appMonitors"] as const) await boss.send(QUEUES[key], {}, { singletonKey: "startup", singletonSeconds: 60 });
  await upgradeLegacyChannels(db()).catch((err: unknown) => log.warn({ err }, "could not upgrade alert channels saved before typed configs"));

  const e = env();
  const rollupDays = e.DECKHAND_MONITOR_ROLLUP_RETENTION_DAYS;
  const runners = await startJobRunners(boss, databaseUrl, {
    deploy: { capacity: e.DECKHAND_WORKER_CONCURRENCY, handle: async (job) => runDeploy((job.data as DeployJob).deployId) },
    ...jobHandlers({
      rawRetentionDays: e.DECKHAND_MONITOR_RAW_RETENTION_DAYS,
      rollupRetentionDays: { minute: e.DECKHAND_MONITOR_MINUTE_ROLLUP_RETENTION_DAYS, hour: rollupDays, day: rollupDays },
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

  const health = await startHealthScheduler({ databaseUrl, boss, concurrency: e.DECKHAND_MONITOR_CONCURRENCY });

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
