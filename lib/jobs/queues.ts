import PgBoss from "pg-boss";
import { db, type Db, type Tx } from "../db/client";
import { env } from "../env";
import { log } from "../log";

/** Every kind of background work is a pg-boss queue. */
export const QUEUES = {
  deploy: "deckhand-deploy",
  check: "deckhand-health-check",
  notify: "deckhand-notify",
  rollup: "deckhand-health-rollup",
  retention: "deckhand-health-retention",
  appMonitors: "deckhand-app-monitors",
  renotify: "deckhand-incident-renotify",
  approvals: "deckhand-approval-expiry",
} as const;
export type QueueKey = keyof typeof QUEUES;

/**
 * Retry and expiry per queue: what happens to a job whose worker died is decided here.
 * - deploy: never retried (a half-run deploy is not safe to repeat); the interrupted-deploy sweeper ends it.
 * - notify: the delivery row is the guard (a retried job sends only what its row still calls pending), so a job
 *   lost with its worker is retried once it expires; the backoff between failed sends is the delivery's own.
 * - rollup, retention, app monitors: idempotent and under advisory locks, so a retry is always safe.
 */
const QUEUE_OPTIONS: Record<QueueKey, Omit<PgBoss.Queue, "name">> = {
  deploy: { policy: "standard", retryLimit: 0, expireInSeconds: 6 * 3600 },
  // A check held by a worker that died is never retried: by the time it expired its slot is long past, and the
  // monitor's next slot is already queued. Finished checks' jobs are deleted by the scheduler, not archived.
  check: { policy: "standard", retryLimit: 0, expireInSeconds: 5 * 60 },
  notify: { policy: "standard", retryLimit: 5, retryDelay: 5, expireInSeconds: 30 },
  rollup: { policy: "standard", retryLimit: 2, retryDelay: 30, expireInSeconds: 15 * 60 },
  retention: { policy: "standard", retryLimit: 2, retryDelay: 60, expireInSeconds: 30 * 60 },
  appMonitors: { policy: "standard", retryLimit: 2, retryDelay: 10, expireInSeconds: 5 * 60 },
  // Under an advisory lock, and each incident's lastNotifiedAt moves with its alert: a retry re-sends nothing early.
  renotify: { policy: "standard", retryLimit: 2, retryDelay: 10, expireInSeconds: 5 * 60 },
  // Approval expiry: under an advisory lock, and a request only expires once (a compare-and-set): retries are safe.
  approvals: { policy: "standard", retryLimit: 2, retryDelay: 10, expireInSeconds: 5 * 60 },
};

/** Cron (UTC) for the periodic queues: pg-boss sends one job per tick for the whole cluster, whatever the number of workers. */
export const SCHEDULES: Partial<Record<QueueKey, string>> = {
  rollup: "* * * * *",
  retention: "17 * * * *",
  appMonitors: "* * * * *",
  renotify: "* * * * *",
  approvals: "* * * * *",
};

/**
 * Options of the job each cron tick sends. pg-boss hands a tick to its own "send-it" job, and that job is
 * delivered at least once: a worker killed, or Postgres restarted, after the insert but before the job was
 * marked done sends the tick's job again. The per-minute singleton makes the second insert a no-op, so each
 * periodic queue gets at most one job a minute for the cluster.
 */
export const CRON_JOB_OPTIONS = { singletonKey: "cron", singletonSeconds: 60 } as const satisfies PgBoss.ScheduleOptions;

/** Workers LISTEN here so a new job starts now, not at the next poll. */
export const WAKE_CHANNEL = "deckhand_jobs";

export interface DeployJob {
  deployId: string;
}
export interface NotifyJob {
  deliveryId: string;
}

/** `overrides` is for tests that cannot wait for the production intervals. */
export function createBoss(databaseUrl: string, role: "worker" | "sender", overrides: Partial<PgBoss.ConstructorOptions> = {}): PgBoss {
  const boss = new PgBoss({
    connectionString: databaseUrl,
    schema: "pgboss",
    max: role === "worker" ? 5 : 2,
    // Only workers maintain pg-boss (expiry, archiving, cron); a web replica only sends.
    supervise: role === "worker",
    // Expired jobs (their worker died) are found within 15 s, not pg-boss's default 2 min: a dead worker's
    // alert is re-sent within a minute. Once per interval for the cluster, whatever the number of workers.
    maintenanceIntervalSeconds: 15,
    schedule: role === "worker",
    ...overrides,
  });
  boss.on("error", (err) => log.error({ err }, "pg-boss error"));
  return boss;
}

export async function ensureQueues(boss: PgBoss): Promise<void> {
  for (const [key, name] of Object.entries(QUEUES) as [QueueKey, string][]) {
    const { policy, ...options } = QUEUE_OPTIONS[key];
    // An existing queue takes this release's retry and expiry settings (its policy cannot change).
    if (await boss.getQueue(name)) await boss.updateQueue(name, { name, ...options });
    else {
      await boss.createQueue(name, { name, policy, ...options }).catch((err: unknown) => {
        if (!String(err).includes("already exists")) throw err;
      });
    }
  }
}

const globalForBoss = globalThis as unknown as { deckhandSender?: Promise<PgBoss> };

function sender(): Promise<PgBoss> {
  globalForBoss.deckhandSender ??= (async () => {
    const url = env().DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set");
    const boss = createBoss(url, "sender");
    await boss.start();
    await ensureQueues(boss);
    return boss;
  })().catch((err: unknown) => {
    // Not cached: the next send tries again (Postgres may be back by then).
    globalForBoss.deckhandSender = undefined;
    throw err;
  });
  return globalForBoss.deckhandSender;
}

/** A worker sends through its own pg-boss instance instead of starting a second one. */
export function useBossForSending(boss: PgBoss | null): void {
  globalForBoss.deckhandSender = boss ? Promise.resolve(boss) : undefined;
}

async function wakeWorkers(client: Db | Tx = db()): Promise<void> {
  await client.$executeRawUnsafe(`NOTIFY ${WAKE_CHANNEL}`);
}

/**
 * pg-boss running its SQL on a Prisma transaction: jobs inserted this way commit or roll back with the rows
 * they are about (a delivery and its job are never one without the other).
 */
export function inTransaction(tx: Tx | Db): PgBoss.Db {
  return {
    async executeSql(text: string, values: unknown[]) {
      const rows = await tx.$queryRawUnsafe<Record<string, unknown>[]>(text, ...values.map((v) => (v === undefined ? null : v)));
      return { rows };
    },
  };
}

/** Queues a deploy or rollback; singletonKey keeps a re-sent job for the same deploy from running twice. */
export async function enqueueDeploy(deployId: string): Promise<void> {
  const boss = await sender();
  await boss.send(QUEUES.deploy, { deployId } satisfies DeployJob, { singletonKey: deployId, retryLimit: 0, expireInSeconds: 6 * 3600 });
  await wakeWorkers().catch((err: unknown) => log.warn({ err }, "could not wake workers; they will poll"));
}

/**
 * Queues alert deliveries in the caller's transaction, each to run at its `startAfter` (now if absent).
 * The NOTIFY is transactional too: workers wake when the deliveries commit.
 */
export async function enqueueNotifications(tx: Tx | Db, jobs: { deliveryId: string; startAfter?: Date }[]): Promise<void> {
  if (jobs.length === 0) return;
  const boss = await sender();
  await boss.insert(
    jobs.map((j) => ({ name: QUEUES.notify, data: { deliveryId: j.deliveryId } satisfies NotifyJob, startAfter: j.startAfter?.toISOString() })),
    { db: inTransaction(tx) },
  );
  if (jobs.some((j) => !j.startAfter || j.startAfter.getTime() <= Date.now())) await wakeWorkers(tx);
}

/** Stops this process's sender, if one was started (scripts and tests that enqueue and then exit). */
export async function stopJobSender(): Promise<void> {
  const sending = globalForBoss.deckhandSender;
  globalForBoss.deckhandSender = undefined;
  if (sending) await (await sending).stop({ graceful: false, timeout: 2_000 });
}
