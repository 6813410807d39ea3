// The worker process: deploys, health checks, alerts and periodic jobs (lib/worker/worker.ts). Started by
// `npm start` (scripts/start.ts supervises it and restarts it if it dies) with DATABASE_URL already resolved.
import { startWorker } from "../lib/worker/worker";
import { log } from "../lib/log";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is not set");
const worker = await startWorker(url);
log.info({ pid: process.pid }, "worker process ready");

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await worker.stop().catch((err: unknown) => log.error({ err }, "worker stop failed"));
  process.exit(0);
}
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => void stop());
// Started with an IPC channel: when the supervisor dies, however it dies, the worker goes with it.
if (process.send) process.on("disconnect", () => void stop());
