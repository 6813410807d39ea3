import PgBoss from "pg-boss";
import { db } from "../db/client";
import { env } from "../env";
import { log } from "../log";

export const QUEUES = { deploy: "deckhand-deploy" } as const;

/** Workers LISTEN here so a new job starts now, not at the next poll. */
export const WAKE_CHANNEL = "deckhand_jobs";

export interface DeployJob {
  deployId: string;
}

export function createBoss(databaseUrl: string, role: "worker" | "sender"): PgBoss {
  const boss = new PgBoss({
    connectionString: databaseUrl,
    schema: "pgboss",
    max: role === "worker" ? 5 : 2,
    // Only workers maintain pg-boss (expiry, archiving, cron); a web replica only sends.
    supervise: role === "worker",
    schedule: role === "worker",
  });
  boss.on("error", (err) => log.error({ err }, "pg-boss error"));
  return boss;
}

export async function ensureQueues(boss: PgBoss): Promise<void> {
  for (const name of Object.values(QUEUES)) {
    if (!(await boss.getQueue(name))) {
      // A deploy must never run twice: no retries; a lost worker is handled by the interrupted-deploy sweeper.
      await boss.createQueue(name, { name, policy: "standard", retryLimit: 0, expireInSeconds: 6 * 3600 }).catch((err: unknown) => {
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
  })();
  return globalForBoss.deckhandSender;
}

async function wakeWorkers(): Promise<void> {
  await db().$executeRawUnsafe(`NOTIFY ${WAKE_CHANNEL}`);
}

/** Queues a deploy or rollback; singletonKey keeps a re-sent job for the same deploy from running twice. */
export async function enqueueDeploy(deployId: string): Promise<void> {
  const boss = await sender();
  await boss.send(QUEUES.deploy, { deployId } satisfies DeployJob, { singletonKey: deployId, retryLimit: 0, expireInSeconds: 6 * 3600 });
  await wakeWorkers().catch((err: unknown) => log.warn({ err }, "could not wake workers; they will poll"));
}

/** Stops this process's sender, if one was started (scripts and tests that enqueue and then exit). */
export async function stopJobSender(): Promise<void> {
  const sending = globalForBoss.deckhandSender;
  globalForBoss.deckhandSender = undefined;
  if (sending) await (await sending).stop({ graceful: false, timeout: 2_000 });
}
