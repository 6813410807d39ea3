import PgBoss from "pg-boss";
import { log } from "../log";

export interface WorkerHandle {
  stop(): Promise<void>;
}

/**
 * The background worker: pg-boss on the same Postgres, so any number of workers on any machines share
 * the queues with nothing else to run. Each room registers its queues here.
 */
export async function startWorker(databaseUrl: string): Promise<WorkerHandle> {
  const boss = new PgBoss({ connectionString: databaseUrl, schema: "pgboss", max: 5 });
  boss.on("error", (err) => log.error({ err }, "pg-boss error"));
  await boss.start();
  log.info("worker started");
  return {
    async stop() {
      await boss.stop({ graceful: true, timeout: 10_000 });
      log.info("worker stopped");
    },
  };
}
