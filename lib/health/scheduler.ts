import { randomUUID } from "node:crypto";
import { setMaxListeners } from "node:events";
import { setTimeout as delay } from "node:timers/promises";
import { createDbClient } from "../db/client";
import { loadSshTarget } from "../servers/ssh-target";
import { env } from "../env";
import { createBoss, ensureQueues } from "../jobs/queues";
import { log } from "../log";
import { LiveAddressGuard } from "../net/guard";
import { runCheck } from "./checkers";
import { CLAIM_LIMIT, deleteCheckJobs, fetchChecks, handBackChecks, queueDueChecks } from "./claim";
import { startHeartbeatWatch } from "./heartbeat";
import { ResultBuffer } from "./result-buffer";
import { recordCheckResults } from "./results";
import type { HealthScheduler, HealthSchedulerOptions } from "./scheduler-types";
import { SlotTimer } from "./slot-timer";

/**
 * The health-check loop of one worker process. Any number can run against one database. Every check is a
 * pg-boss job: each poll, a worker claims the monitors due within the look-ahead (claimDueMonitors, which
 * advances each one's next slot) and queues one job per slot in the same transaction, so a slot becomes
 * exactly one job whatever the number of workers; then it fetches as many check jobs as it has room for
 * (pg-boss hands each to one worker) and starts each on its slot with a local timer. A finished or dropped
 * check's job is deleted. A worker that dies holding jobs leaves them active until pg-boss expires them
 * (never retried: that slot is skipped, the next runs as planned).
 */
export async function startHealthScheduler(opts: HealthSchedulerOptions): Promise<HealthScheduler> {
  const client = opts.client ?? createDbClient(required(opts.databaseUrl), 8);
  const boss = opts.boss ?? createBoss(required(opts.databaseUrl ?? env().DATABASE_URL), "sender");
  if (!opts.boss) await boss.start().then(() => ensureQueues(boss));
  const workerId = opts.workerId ?? randomUUID().slice(0, 8);
  const concurrency = opts.concurrency ?? 256;
  const stopController = new AbortController();
  const signal = stopController.signal;
  // Every in-flight check listens on it; hundreds at once are expected, not a leak.
  setMaxListeners(0, signal);
  const pause = (ms: number) => delay(ms, undefined, { signal }).catch(() => undefined);
  const guard = await LiveAddressGuard.load(client, 15_000, (err) => log.error({ err, task: "guard" }, "health scheduler task failed"));
  const results = new ResultBuffer({ write: (batch) => recordCheckResults(client, batch), deleteJobs: (ids) => deleteCheckJobs(boss, ids) });
  const slots = new SlotTimer(concurrency, {
    dropped: (check) => results.jobDone(check.jobId),
    run: async (m, at) => {
      try {
        const outcome = await runCheck(m, { guard: guard.current, resolve: opts.resolve, signal, loadSshTarget: (id) => loadSshTarget(id, client) });
        // A check cut by stop() records nothing; its job stays active until pg-boss expires it.
        if (!signal.aborted) results.add({ monitorId: m.id, at, ok: outcome.ok, latencyMs: outcome.latencyMs, detail: outcome.detail, degraded: outcome.degraded, facts: outcome.facts });
      } catch (err) {
        log.error({ err, monitorId: m.id }, "check crashed");
      } finally {
        if (!signal.aborted) results.jobDone(m.jobId);
      }
    },
  });
  let stopping = false;
  const claimLoop = async () => {
    while (!stopping) {
      let full = false;
      try {
        const claimed = await queueDueChecks(client, boss, new Date(), opts.lookaheadMs ?? 1_000);
        const room = Math.min(slots.room, CLAIM_LIMIT);
        const fetched = room > 0 && !stopping ? await fetchChecks(boss, room) : [];
        for (const check of fetched) slots.hold(check);
        full = claimed === CLAIM_LIMIT || (room > 0 && fetched.length === room);
      } catch (err) {
        if (!stopping) log.error({ err }, "claiming due monitors failed");
        await pause(1_000);
      }
      if (!full) await pause(opts.pollMs ?? 200);
    }
  };
  const flusher = setInterval(() => void results.flush(), opts.flushMs ?? 250);
  // Heartbeat monitors are not probed: their missed deadlines are recorded as failures (lib/health/heartbeat.ts).
  const heartbeats = startHeartbeatWatch(client, opts.heartbeatSweepMs ?? 1_000);
  const loop = claimLoop();
  log.info({ workerId, concurrency }, "health scheduler started");
  return {
    stats: () => ({ workerId, ...slots.stats(), ...results.stats() }),
    resetStats: () => slots.resetLags(),
    flush: () => results.flush().then(() => results.flush()),
    async stop() {
      if (stopping) return;
      stopping = true;
      clearInterval(flusher);
      await heartbeats.stop();
      guard.stop();
      slots.stop();
      await loop;
      // Checks under way get a moment to finish and be recorded; then they are cut.
      await slots.whenIdle(5_000);
      stopController.abort();
      await handBackChecks(client, boss, slots.takeUnstarted()).catch((err: unknown) => log.warn({ err }, "could not hand back unstarted checks; their slots are skipped"));
      await results.drain();
      if (!opts.boss) await boss.stop({ graceful: false });
      if (!opts.client) await client.$disconnect();
      log.info({ workerId }, "health scheduler stopped");
    },
  };
}

function required(url: string | undefined): string {
  if (!url) throw new Error("startHealthScheduler needs databaseUrl or client");
  return url;
}
