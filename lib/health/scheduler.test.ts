import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { encryptSecret } from "../crypto/secretbox";
import { createBoss, ensureQueues, QUEUES, stopJobSender } from "../jobs/queues";
import { startJobRunners } from "../jobs/runners";
import { jobHandlers } from "../worker/worker";
import { claimDueMonitors } from "./claim";
import { startHealthScheduler } from "./scheduler";
import type { HealthScheduler } from "./scheduler-types";
import { startHttpServer, startSilentServer, type TestHttpServer } from "../net/testing/servers";

let target: TestHttpServer;
let hooks: TestHttpServer;
let failing = false;

beforeAll(async () => {
  target = await startHttpServer((req, res) => {
    res.writeHead(failing && req.url === "/flappy" ? 500 : 200);
    res.end("ok");
  });
  hooks = await startHttpServer((_req, res) => {
    res.writeHead(204);
    res.end();
  });
});
afterAll(async () => {
  await target.close();
  await hooks.close();
});
beforeEach(async () => {
  await db().monitor.deleteMany();
  await db().notificationChannel.deleteMany();
  // Checks a previous test's scheduler handed back on stop would run here (for monitors since deleted).
  await db().$executeRaw`DELETE FROM pgboss.job WHERE name = ${QUEUES.check}`.catch(() => undefined);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The API allows 10 s and up; the scheduler itself has no floor, and 1-2 s keeps these tests short. */
async function httpMonitor(path: string, data: { intervalSeconds?: number; timeoutSeconds?: number; retries?: number; nextRunAt?: Date; url?: string } = {}) {
  return db().monitor.create({
    data: {
      name: path,
      type: "http",
      url: data.url ?? `${target.url}${path}`,
      intervalSeconds: data.intervalSeconds ?? 1,
      timeoutSeconds: data.timeoutSeconds ?? 1,
      retries: data.retries ?? 0,
      nextRunAt: data.nextRunAt ?? new Date(),
    },
  });
}

/**
 * Monitors are created with their first slot an hour away and moved to a near slot once the schedulers run:
 * a slot that passed while a scheduler was still starting (creating 40 rows, starting pg-boss takes a second on
 * a loaded machine) runs late by design (within half an interval), and would be read as drift by the timing tests.
 */
const LATER = () => new Date(Date.now() + 3_600_000);
async function firstSlotsFrom(base: number, groups: { ids: string[]; offsetMs: number }[]) {
  for (const g of groups) await db().monitor.updateMany({ where: { id: { in: g.ids } }, data: { nextRunAt: new Date(base + g.offsetMs) } });
}

const resultsOf = (monitorId: string) => db().checkResult.findMany({ where: { monitorId }, orderBy: { at: "asc" } });

async function run(ms: number, ...schedulers: HealthScheduler[]) {
  await sleep(ms);
  await Promise.all(schedulers.map((s) => s.stop()));
}

describe("claiming", () => {
  it("advances nextRunAt along the schedule and skips slots missed while nobody ran", async () => {
    const slot = new Date(Date.now() - 3_500);
    const m = await httpMonitor("/a", { intervalSeconds: 1, nextRunAt: slot });
    const now = new Date(slot.getTime() + 3_500);
    const [claimed] = await claimDueMonitors(db(), now, now, 10);
    // The latest slot not in the future runs; the next one is exactly one interval after it.
    expect(claimed!.runAt.getTime()).toBe(slot.getTime() + 3_000);
    const after = await db().monitor.findUniqueOrThrow({ where: { id: m.id } });
    expect(after.nextRunAt.getTime()).toBe(slot.getTime() + 4_000);
    expect(await claimDueMonitors(db(), now, now, 10)).toEqual([]);
  });

  it("claims a future slot within the look-ahead without moving it", async () => {
    const slot = new Date(Date.now() + 500);
    await httpMonitor("/b", { intervalSeconds: 10, nextRunAt: slot });
    const [claimed] = await claimDueMonitors(db(), new Date(), new Date(Date.now() + 1_000), 10);
    expect(claimed!.runAt.getTime()).toBe(slot.getTime());
  });

  it("never hands one slot to two concurrent claimers", async () => {
    for (let i = 0; i < 50; i++) await httpMonitor(`/c${i}`, { intervalSeconds: 30 });
    const now = new Date(Date.now() + 10);
    const batches = await Promise.all(Array.from({ length: 5 }, () => claimDueMonitors(db(), now, now, 20)));
    const ids = batches.flat().map((m) => m.id);
    expect(ids).toHaveLength(50);
    expect(new Set(ids).size).toBe(50);
  });
});

describe("the scheduler against real local servers", () => {
  it("runs on schedule without drift, and a hanging target never delays another monitor", async () => {
    const silent = await startSilentServer();
    try {
      const hung = await httpMonitor("/hang", { url: `http://127.0.0.1:${silent.port}/`, intervalSeconds: 2, timeoutSeconds: 2, nextRunAt: LATER() });
      const fast = await httpMonitor("/fast", { intervalSeconds: 1, nextRunAt: LATER() });
      // Two slots only: the hung check holds one for its whole timeout, the fast monitor must keep its rhythm in the other.
      const s = await startHealthScheduler({ client: db(), concurrency: 2, pollMs: 100 });
      await firstSlotsFrom(Date.now() + 1_000, [{ ids: [hung.id, fast.id], offsetMs: 0 }]);
      await run(7_500, s);
      const fastResults = await resultsOf(fast.id);
      expect(fastResults.length).toBeGreaterThanOrEqual(6);
      const first = fastResults[0]!.at.getTime();
      for (const [k, r] of fastResults.entries()) {
        // Each start sits on its slot: first + k s, with no accumulated drift.
        expect(Math.abs(r.at.getTime() - (first + k * 1_000))).toBeLessThan(250);
      }
      expect(fastResults.every((r) => r.ok)).toBe(true);
      const hungResults = await resultsOf(hung.id);
      expect(hungResults.length).toBeGreaterThanOrEqual(2);
      expect(hungResults.every((r) => !r.ok && r.detail === "timed out after 2000 ms" && r.latencyMs === 2000)).toBe(true);
      expect(s.stats().lagMs.p99).toBeLessThan(250);
    } finally {
      await silent.close();
    }
  });

  it("runs checks from pg-boss jobs, whoever queued them, and deletes each job once its check is done", async () => {
    // Not due for an hour: no claim makes a job for it. Another worker queued this slot (a job, as claims make them).
    const m = await httpMonitor("/queued-elsewhere", { intervalSeconds: 60, nextRunAt: new Date(Date.now() + 3_600_000) });
    const slot = new Date(Date.now() + 300);
    const boss = createBoss(process.env.DATABASE_URL!, "sender");
    await boss.start();
    await ensureQueues(boss);
    await boss.insert([
      {
        name: QUEUES.check,
        data: {
          id: m.id,
          type: "http",
          url: m.url,
          method: m.method,
          host: null,
          port: null,
          serverId: null,
          command: null,
          expectedStatus: m.expectedStatus,
          keyword: null,
          timeoutSeconds: m.timeoutSeconds,
          intervalSeconds: m.intervalSeconds,
          runAt: slot.toISOString(),
        },
        startAfter: slot.toISOString(),
      },
    ]);
    await boss.stop({ graceful: false });
    const s = await startHealthScheduler({ client: db(), concurrency: 4, pollMs: 50 });
    await run(1_500, s);
    const results = await resultsOf(m.id);
    expect(results).toHaveLength(1);
    // Started on the job's slot, not when it was fetched.
    expect(Math.abs(results[0]!.at.getTime() - slot.getTime())).toBeLessThan(150);
    expect(await db().$queryRaw`SELECT id FROM pgboss.job WHERE name = ${QUEUES.check}`).toEqual([]);
  });

  it("two workers never check the same slot twice", async () => {
    const monitors: Awaited<ReturnType<typeof httpMonitor>>[] = [];
    for (let i = 0; i < 40; i++) monitors.push(await httpMonitor(`/two${i}`, { intervalSeconds: 1, nextRunAt: LATER() }));
    const a = await startHealthScheduler({ client: db(), concurrency: 20, workerId: "a" });
    const b = await startHealthScheduler({ client: db(), concurrency: 20, workerId: "b" });
    const base = Date.now() + 1_000;
    await firstSlotsFrom(
      base,
      Array.from({ length: 10 }, (_, g) => ({ ids: monitors.filter((_m, i) => i % 10 === g).map((m) => m.id), offsetMs: g * 100 })),
    );
    const started = base;
    await sleep(base - Date.now() + 5_000);
    const seconds = (Date.now() - started) / 1000;
    await Promise.all([a.stop(), b.stop()]);
    expect(a.stats().completed).toBeGreaterThan(0);
    expect(b.stats().completed).toBeGreaterThan(0);
    const all = await db().checkResult.findMany({ select: { monitorId: true, at: true } });
    expect(all.length).toBe(a.stats().completed + b.stats().completed);
    for (const m of monitors) {
      const times = all
        .filter((r) => r.monitorId === m.id)
        .map((r) => r.at.getTime())
        .sort((x, y) => x - y);
      expect(times.length).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
      expect(times.length).toBeGreaterThanOrEqual(Math.floor(seconds) - 1);
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThan(700);
    }
  });

  it("a worker that stalls past half an interval drops the slot it held instead of running it late", async () => {
    const slot = new Date(Date.now() + 400);
    const m = await httpMonitor("/stall", { intervalSeconds: 1, nextRunAt: slot });
    const s = await startHealthScheduler({ client: db(), concurrency: 4, pollMs: 50 });
    await expect.poll(() => s.stats().waiting, { timeout: 2_000, interval: 5 }).toBe(1);
    // The event loop blocked, as in a long pause: the claimed slot's timer fires 1.2 s late.
    const until = slot.getTime() + 1_200;
    while (Date.now() < until) {
      // busy
    }
    await run(2_000, s);
    expect(s.stats().skipped).toBe(1);
    const times = (await resultsOf(m.id)).map((r) => r.at.getTime());
    expect(times.length).toBeGreaterThanOrEqual(1);
    // The held slot never ran; what ran are the slots after it, at least half an interval apart.
    expect(times[0]!).toBeGreaterThanOrEqual(slot.getTime() + 1_000);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(500);
  });

  it("a restart loses no history and resumes on the same schedule", async () => {
    const m = await httpMonitor("/restart", { intervalSeconds: 2 });
    const first = await startHealthScheduler({ client: db(), concurrency: 4 });
    await run(3_000, first);
    const before = await resultsOf(m.id);
    expect(before.length).toBe(first.stats().completed);
    expect(before.length).toBeGreaterThanOrEqual(2);
    const phase = before[0]!.at.getTime() % 2_000;

    await sleep(2_500); // down across at least one slot
    const second = await startHealthScheduler({ client: db(), concurrency: 4 });
    await run(4_500, second);
    const after = (await resultsOf(m.id)).slice(before.length);
    expect(after.length).toBeGreaterThanOrEqual(2);
    // The missed slot runs once, at start (unless it is more than half an interval late); everything after sits on the original slots.
    const offPhase = (t: number) => Math.min((t - phase + 2_000) % 2_000, 2_000 - ((t - phase + 2_000) % 2_000));
    for (const r of after.slice(1)) expect(offPhase(r.at.getTime())).toBeLessThan(250);
    expect(after.length).toBeLessThanOrEqual(4);
  });

  it("a monitor goes down after its retries, comes back up, and each channel gets one alert for each", async () => {
    await db().notificationChannel.create({ data: { name: "hook", type: "webhook", encryptedUrl: encryptSecret(`${hooks.url}/generic`) } });
    await db().notificationChannel.create({ data: { name: "slack", type: "slack", encryptedUrl: encryptSecret(`${hooks.url}/slack`) } });
    const m = await httpMonitor("/flappy", { intervalSeconds: 1, retries: 1 });
    const s = await startHealthScheduler({ client: db(), concurrency: 4 });
    // The worker's alert delivery: pg-boss jobs queued with each transition, worked like lib/worker.ts does.
    const boss = createBoss(process.env.DATABASE_URL!, "worker");
    await boss.start();
    await ensureQueues(boss);
    const handlers = jobHandlers({ rawRetentionDays: 14, rollupRetentionDays: { minute: 400, hour: 400, day: 400 } });
    const runners = await startJobRunners(boss, process.env.DATABASE_URL!, { notify: handlers.notify });
    try {
      const waitFor = async (status: string) => {
        const deadline = Date.now() + 10_000;
        while (Date.now() < deadline) {
          if ((await db().monitor.findUniqueOrThrow({ where: { id: m.id } })).status === status) return;
          await sleep(100);
        }
        throw new Error(`monitor never became ${status}`);
      };
      await waitFor("up");
      failing = true;
      await waitFor("down");
      await sleep(2_500); // more failures: still one incident
      failing = false;
      await waitFor("up");
      const deadline = Date.now() + 10_000;
      while (hooks.requests.length < 4 && Date.now() < deadline) await sleep(200);
      await sleep(2_500); // time for any duplicate to show up
    } finally {
      await s.stop();
      await runners.stop();
      await boss.stop({ graceful: false });
      await stopJobSender();
      failing = false;
    }
    const events = hooks.requests.map((r) => `${r.path} ${(JSON.parse(r.body) as { event?: string; text?: string }).event ?? (JSON.parse(r.body) as { text: string }).text.slice(0, 2)}`);
    expect(events.filter((e) => e.startsWith("/generic")).sort()).toEqual(["/generic monitor.down", "/generic monitor.up"]);
    expect(events.filter((e) => e.startsWith("/slack"))).toHaveLength(2);
    expect(await db().incident.count({ where: { monitorId: m.id } })).toBe(1);
    const failures = await db().checkResult.count({ where: { monitorId: m.id, ok: false } });
    expect(failures).toBeGreaterThanOrEqual(4);
  });
});
