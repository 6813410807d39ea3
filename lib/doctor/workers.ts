import type { Db } from "../db/client";
import { listWorkers } from "../jobs/presence";
import type { CheckResult } from "./types";

/** Workers stamp their presence every 5 s (lib/jobs/presence.ts); silent for this long means not running. */
export const WORKER_SILENT_SECONDS = 30;
/** A queued deploy or a due monitor this late means no worker is taking work. */
const LATE_SECONDS = 60;

interface Backlog {
  queuedDeploys: number;
  oldestQueuedSeconds: number | null;
  overdueMonitors: number;
}

async function readBacklog(client: Db): Promise<Backlog> {
  const [deploys] = await client.$queryRaw<{ n: number; oldest: number | null }[]>`
    SELECT count(*)::int AS n, extract(epoch FROM (now() AT TIME ZONE 'UTC') - min("createdAt"))::float8 AS oldest
    FROM "Deploy" WHERE status = 'queued'`;
  // Late by more than a minute and by more than two intervals: one missed slot (a worker that died) is not this.
  const [monitors] = await client.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM "Monitor"
    WHERE status <> 'paused' AND "nextRunAt" < (now() AT TIME ZONE 'UTC') - make_interval(secs => greatest(${LATE_SECONDS}, 2 * "intervalSeconds"))`;
  return { queuedDeploys: deploys?.n ?? 0, oldestQueuedSeconds: deploys?.oldest ?? null, overdueMonitors: monitors?.n ?? 0 };
}

function ago(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s ago`;
  if (seconds < 7_200) return `${Math.round(seconds / 60)} min ago`;
  return `${(seconds / 3600).toFixed(1)} h ago`;
}

/**
 * Is any worker running, and is work waiting? A WARN, not a FAIL: a web process with no worker yet (the
 * first install, before the worker unit starts) is a state, not a fault; the line says what it means.
 */
export async function checkWorkers(client: Db): Promise<CheckResult> {
  const [workers, b] = await Promise.all([listWorkers(client), readBacklog(client)]);
  const live = workers.filter((w) => w.seenSecondsAgo <= WORKER_SILENT_SECONDS);
  const backlog: string[] = [];
  if (b.queuedDeploys > 0 && (b.oldestQueuedSeconds ?? 0) > LATE_SECONDS) backlog.push(`${b.queuedDeploys} deploy(s) queued, the oldest ${ago(b.oldestQueuedSeconds!)}`);
  if (b.overdueMonitors > 0) backlog.push(`${b.overdueMonitors} monitor(s) overdue`);
  const waiting = backlog.length ? `; ${backlog.join(", ")}` : "";
  if (live.length === 0) {
    const last = workers[0];
    const seen = last ? `the last one (${last.host} pid ${last.pid}) was seen ${ago(last.seenSecondsAgo)}` : "none seen in the last hour";
    return { name: "workers", status: "warn", detail: `no worker running (start one: npm run worker): ${seen}; deploys stay queued and monitors unchecked${waiting}` };
  }
  const who = `${live.length} worker(s) running (${live.map((w) => `${w.host} pid ${w.pid}`).join(", ")})`;
  if (backlog.length) return { name: "workers", status: "warn", detail: `${who}, but work is waiting${waiting}` };
  return { name: "workers", status: "ok", detail: `${who}; no deploy waiting, monitors on schedule` };
}
