import { randomUUID } from "node:crypto";
import { setMaxListeners } from "node:events";
import type PgBoss from "pg-boss";
import { createDbClient, type Db, type Tx } from "../db/client";
import { createBoss, ensureQueues, inTransaction, QUEUES } from "../jobs/queues";
import { env } from "../env";
import { loadSshTarget } from "../servers/ssh-target";
import { log } from "../log";
import { runCheck, type MonitorCheckSpec } from "./checkers";
import { loadAddressGuard, AddressGuard, type Resolver } from "./network";
import { recordCheckResults, type CheckRecord } from "./results";

export interface ClaimedMonitor extends MonitorCheckSpec {
  id: string;
  /** The schedule slot this run belongs to: lag is measured from it. */
  runAt: Date;
  intervalSeconds: number;
}

/**
 * Claims monitors whose slot falls before `horizon` and moves each one's next slot forward along its own
 * schedule (slot + interval, skipping slots missed while no worker ran), in one statement. SKIP LOCKED
 * means two workers never claim the same monitor; the advanced nextRunAt means the slot is gone for the
 * next claim, so each slot runs once whatever the number of workers.
 */
export async function claimDueMonitors(client: Db | Tx, now: Date, horizon: Date, limit: number): Promise<ClaimedMonitor[]> {
  const rows = await client.$queryRaw<(Omit<ClaimedMonitor, "type"> & { type: string })[]>`
    WITH due AS (
      SELECT id, "nextRunAt" AS slot FROM "Monitor"
      WHERE "nextRunAt" <= ${horizon.toISOString()}::timestamp AND status <> 'paused'
      ORDER BY "nextRunAt"
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    ), planned AS (
      SELECT due.id, due.slot + make_interval(secs => m."intervalSeconds" *
        floor(greatest(0, extract(epoch FROM (${now.toISOString()}::timestamp - due.slot))) / greatest(m."intervalSeconds", 1))) AS run_at
      FROM due JOIN "Monitor" m ON m.id = due.id
    )
    UPDATE "Monitor" m SET "nextRunAt" = planned.run_at + make_interval(secs => greatest(m."intervalSeconds", 1))
    FROM planned WHERE m.id = planned.id
    RETURNING m.id, m.type::text AS type, m.url, m.method, m.host, m.port, m."serverId", m.command,
      m."expectedStatus", m.keyword, m."timeoutSeconds", m."intervalSeconds", planned.run_at AS "runAt"`;
  return rows.map((r) => ({ ...r, type: r.type as MonitorCheckSpec["type"] }));
}

/** A check as a pg-boss job: everything needed to run it, so the worker that fetches it reads nothing else. */
type CheckJob = Omit<ClaimedMonitor, "runAt"> & { runAt: string };

function toJob(m: ClaimedMonitor) {
  const { jobId: _jobId, ...spec } = m as ClaimedMonitor & { jobId?: string };
  return { name: QUEUES.check, data: { ...spec, runAt: m.runAt.toISOString() } satisfies CheckJob, startAfter: m.runAt.toISOString() };
}

interface HeldCheck extends ClaimedMonitor {
  jobId: string;
}

/** A fixed-size ring of recent start lags, for percentiles without unbounded memory. */
class LagRecorder {
  private readonly values: Float64Array;
  private count = 0;
  constructor(size = 200_000) {
    this.values = new Float64Array(size);
  }
  record(ms: number) {
    this.values[this.count % this.values.length] = ms;
    this.count++;
  }
  reset() {
    this.count = 0;
  }
  percentiles(ps: number[]): number[] {
    const n = Math.min(this.count, this.values.length);
    if (n === 0) return ps.map(() => 0);
    const sorted = Float64Array.from(this.values.subarray(0, n)).sort();
    return ps.map((p) => sorted[Math.min(n - 1, Math.floor((p / 100) * n))]!);
  }
  get size() {
    return Math.min(this.count, this.values.length);
  }
}

export interface SchedulerStats {
  workerId: string;
  started: number;
  completed: number;
  /** Claimed checks dropped because this worker could not start them within half an interval (it stalled or was saturated). */
  skipped: number;
  written: number;
  writeErrors: number;
  inFlight: number;
  waiting: number;
  buffered: number;
  lagMs: { p50: number; p99: number; max: number; samples: number };
}

export interface HealthSchedulerOptions {
  /** Opens the scheduler's own connection pool; or pass `client` (tests). */
  databaseUrl?: string;
  client?: Db;
  /** Checks running at once; a hung check holds one slot until its own timeout, never the loop. */
  concurrency?: number;
  /** How often due monitors are claimed and check jobs fetched. */
  pollMs?: number;
  /** Monitors due within this much are claimed early and started on their slot by a local timer. */
  lookaheadMs?: number;
  /** Results are written in batches at least this often. */
  flushMs?: number;
  resolve?: Resolver;
  workerId?: string;
  /** The worker's pg-boss; without it the scheduler starts its own (tests). */
  boss?: PgBoss;
}

export interface HealthScheduler {
  stop(): Promise<void>;
  stats(): SchedulerStats;
  resetStats(): void;
  /** Writes buffered results now (tests and shutdown). */
  flush(): Promise<void>;
}

const MAX_BATCH = 1_000;
/** A database outage must not grow memory without bound: past this, the oldest unwritten results are dropped. */
const MAX_BUFFERED = 100_000;

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
  const ownsClient = !opts.client;
  const client = opts.client ?? createDbClient(required(opts.databaseUrl), 8);
  const ownsBoss = !opts.boss;
  const boss = opts.boss ?? createBoss(required(opts.databaseUrl ?? env().DATABASE_URL), "sender");
  if (ownsBoss) {
    await boss.start();
    await ensureQueues(boss);
  }
  const workerId = opts.workerId ?? randomUUID().slice(0, 8);
  const concurrency = opts.concurrency ?? 256;
  const pollMs = opts.pollMs ?? 200;
  const lookaheadMs = opts.lookaheadMs ?? 1_000;
  const flushMs = opts.flushMs ?? 250;
  const stopController = new AbortController();
  // Every in-flight check listens on it; hundreds at once are expected, not a leak.
  setMaxListeners(0, stopController.signal);
  const lags = new LagRecorder();
  const counters = { started: 0, completed: 0, skipped: 0, written: 0, writeErrors: 0 };

  let guard: AddressGuard = await loadAddressGuard(client).catch(() => new AddressGuard());
  let inFlight = 0;
  const ready: HeldCheck[] = [];
  const timers = new Map<HeldCheck, NodeJS.Timeout>();
  /** Jobs of checks finished or dropped, deleted at the next flush. */
  let finishedJobs: string[] = [];
  let buffer: CheckRecord[] = [];
  let flushing: Promise<void> | null = null;
  let stopping = false;
  /** Fetched by the last fetch that raced with stop(): handed back like the rest. */
  const unclaimed: HeldCheck[] = [];

  const deleteFinishedJobs = async () => {
    if (finishedJobs.length === 0) return;
    const ids = finishedJobs;
    finishedJobs = [];
    await boss.deleteJob(QUEUES.check, ids).catch((err: unknown) => {
      // Left active, they expire and fail: nothing runs twice. Try again at the next flush.
      finishedJobs.push(...ids);
      log.warn({ err, jobs: ids.length }, "could not delete finished check jobs; will retry");
    });
  };

  const flush = async (): Promise<void> => {
    if (flushing) return flushing;
    void deleteFinishedJobs();
    if (buffer.length === 0) return;
    const batch = buffer.slice(0, MAX_BATCH);
    buffer = buffer.slice(batch.length);
    flushing = recordCheckResults(client, batch)
      .then(() => {
        counters.written += batch.length;
      })
      .catch((err: unknown) => {
        counters.writeErrors++;
        log.error({ err, results: batch.length }, "writing check results failed; will retry");
        buffer = [...batch, ...buffer].slice(-MAX_BUFFERED);
      })
      .finally(() => {
        flushing = null;
      });
    return flushing;
  };

  /**
   * A check that would start more than half an interval after its slot is dropped (the process was paused,
   * every slot was busy, or the slot was missed while Postgres was away): the next slot is then less than half
   * an interval off, perhaps already claimed by another worker, and running both would check twice in one
   * interval. The next slot runs as planned: no check is started more than half an interval after its slot. (A
   * worker frozen right after starting a check sends that request when it resumes: the one way two requests
   * can reach a target closer than that; the scale test counts them.)
   */
  const stale = (m: HeldCheck) => {
    if (Date.now() - m.runAt.getTime() <= m.intervalSeconds * 500) return false;
    counters.skipped++;
    finishedJobs.push(m.jobId);
    return true;
  };

  const startNextReady = () => {
    for (let next = ready.shift(); next && !stopping; next = ready.shift()) {
      if (!stale(next)) return startCheck(next);
    }
  };

  const startCheck = (m: HeldCheck): void => {
    inFlight++;
    counters.started++;
    const at = new Date();
    lags.record(at.getTime() - m.runAt.getTime());
    runCheck(m, { guard, resolve: opts.resolve, signal: stopController.signal, loadSshTarget: (id) => loadSshTarget(id, client) })
      .then((outcome) => {
        if (stopController.signal.aborted) return;
        counters.completed++;
        buffer.push({ monitorId: m.id, at, ok: outcome.ok, latencyMs: outcome.latencyMs, detail: outcome.detail });
        if (buffer.length >= MAX_BATCH) void flush();
      })
      .catch((err: unknown) => log.error({ err, monitorId: m.id }, "check crashed"))
      .finally(() => {
        inFlight--;
        if (!stopController.signal.aborted) finishedJobs.push(m.jobId);
        startNextReady();
      });
  };

  const due = (m: HeldCheck) => {
    timers.delete(m);
    if (stopping || stale(m)) return;
    if (inFlight < concurrency) startCheck(m);
    else ready.push(m);
  };

  const hold = (m: HeldCheck) => {
    if (stopping) {
      unclaimed.push(m);
      return;
    }
    const delay = m.runAt.getTime() - Date.now();
    if (delay <= 0) due(m);
    else timers.set(m, setTimeout(() => due(m), delay));
  };

  /** Checks fetched but not started (on stop) go back to the queue for the other workers, on their slots. */
  const giveBack = async (checks: HeldCheck[]) => {
    if (checks.length === 0) return;
    await client.$transaction(async (tx) => {
      await boss.insert(checks.map(toJob), { db: inTransaction(tx) });
      await boss.deleteJob(QUEUES.check, checks.map((c) => c.jobId), { db: inTransaction(tx) });
    });
  };

  const claimLoop = async () => {
    while (!stopping) {
      let full = false;
      try {
        // Turn the schedule into jobs: what is due within the look-ahead, once, whichever worker does it.
        const now = new Date();
        const claimed = await client.$transaction(async (tx) => {
          const due = await claimDueMonitors(tx, now, new Date(now.getTime() + lookaheadMs), 2_000);
          if (due.length) await boss.insert(due.map(toJob), { db: inTransaction(tx) });
          return due.length;
        });
        // Fetch no more than can start soon: what one worker cannot run is left for the others. Every queued
        // check is due within the look-ahead (jobs are made no earlier), so fetching ahead of startAfter only
        // lets the local timer start each exactly on its slot.
        const room = Math.min(concurrency * 2 - inFlight - ready.length - timers.size, 2_000);
        let fetched = 0;
        if (room > 0 && !stopping) {
          const jobs = await boss.fetch<CheckJob>(QUEUES.check, { batchSize: room, ignoreStartAfter: true });
          fetched = jobs.length;
          for (const j of jobs) hold({ ...j.data, runAt: new Date(j.data.runAt), jobId: j.id });
        }
        full = claimed === 2_000 || (room > 0 && fetched === room);
      } catch (err) {
        if (!stopping) log.error({ err }, "claiming due monitors failed");
        await sleep(1_000, stopController.signal);
      }
      if (!full) await sleep(pollMs, stopController.signal);
    }
  };

  const every = (ms: number, name: string, task: () => Promise<unknown>) => {
    let running = false;
    const run = () => {
      if (running || stopping) return;
      running = true;
      task()
        .catch((err: unknown) => log.error({ err, task: name }, "health scheduler task failed"))
        .finally(() => {
          running = false;
        });
    };
    const handle = setInterval(run, ms);
    return { handle, run };
  };

  const flusher = setInterval(() => void flush(), flushMs);
  const intervals = [flusher];
  intervals.push(every(15_000, "guard", async () => (guard = await loadAddressGuard(client))).handle);
  const loop = claimLoop();
  log.info({ workerId, concurrency }, "health scheduler started");

  return {
    stats: () => {
      const [p50, p99, max] = lags.percentiles([50, 99, 100]);
      return {
        workerId,
        ...counters,
        inFlight,
        waiting: ready.length + timers.size,
        buffered: buffer.length,
        lagMs: { p50: p50!, p99: p99!, max: max!, samples: lags.size },
      };
    },
    resetStats: () => lags.reset(),
    flush: async () => {
      await flush();
      await flush();
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      for (const i of intervals) clearInterval(i);
      await loop;
      const unstarted: HeldCheck[] = [...timers.keys(), ...ready, ...unclaimed];
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      ready.length = 0;
      // Checks under way get a moment to finish and be recorded; then they are cut.
      const graceEnd = Date.now() + 5_000;
      while (inFlight > 0 && Date.now() < graceEnd) await sleep(50);
      stopController.abort();
      await giveBack(unstarted).catch((err: unknown) => log.warn({ err }, "could not hand back unstarted checks; their slots are skipped"));
      while (buffer.length > 0 || flushing) {
        const before = counters.writeErrors;
        await flush();
        if (counters.writeErrors > before) break;
      }
      await deleteFinishedJobs();
      if (ownsBoss) await boss.stop({ graceful: false });
      if (ownsClient) await client.$disconnect();
      log.info({ workerId }, "health scheduler stopped");
    },
  };
}

/** The worker's entry: settings from the environment (DECKHAND_MONITOR_*). */
export function startHealthSchedulerFromEnv(databaseUrl: string, boss: PgBoss): Promise<HealthScheduler> {
  return startHealthScheduler({ databaseUrl, boss, concurrency: env().DECKHAND_MONITOR_CONCURRENCY });
}

function required(url: string | undefined): string {
  if (!url) throw new Error("startHealthScheduler needs databaseUrl or client");
  return url;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
