import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { encryptSecret } from "../crypto/secretbox";
import { getRolledThrough } from "../health/rollups";
import { createBoss, QUEUES, SCHEDULES, WAKE_CHANNEL } from "../jobs/queues";
import { startHttpServer, type TestHttpServer } from "../net/testing/servers";
import { startWorker, type WorkerHandle } from "./worker";

// The whole worker against a real Postgres: every kind of background work arrives as a pg-boss job.
let worker: WorkerHandle;
let hooks: TestHttpServer;

beforeAll(async () => {
  hooks = await startHttpServer((_req, res) => {
    res.writeHead(204);
    res.end();
  });
  worker = await startWorker(process.env.DATABASE_URL!);
});
afterAll(async () => {
  await worker.stop();
  await hooks.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const jobsOf = (queue: string) =>
  db().$queryRaw<{ state: string; singletonKey: string | null }[]>`
    SELECT state::text AS state, singleton_key AS "singletonKey" FROM pgboss.job WHERE name = ${queue}`;

/** What a cron tick does: one job on the queue (and the wake-up a sender gives). */
async function queueJob(queue: string): Promise<void> {
  await db().$executeRaw`INSERT INTO pgboss.job (name, data) VALUES (${queue}, '{}'::jsonb)`;
  await db().$executeRawUnsafe(`NOTIFY ${WAKE_CHANNEL}`);
}

describe("the worker runs its background work as pg-boss jobs", () => {
  it("puts rollups, retention and the app-monitor reconcile on pg-boss cron, one schedule each for the cluster", async () => {
    const schedules = await db().$queryRaw<{ name: string; cron: string }[]>`SELECT name, cron FROM pgboss.schedule ORDER BY name`;
    expect(schedules).toEqual(
      Object.entries(SCHEDULES)
        .map(([key, cron]) => ({ name: QUEUES[key as keyof typeof QUEUES], cron }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    );
    // Rollups are brought up to date at start, as a job.
    await until("the startup rollup job", async () => (await jobsOf(QUEUES.rollup)).some((j) => j.state === "completed"));
    expect(await getRolledThrough(db())).not.toBeNull();
  });

  it("a cron tick delivered twice (its send-it job re-run after a crash) still queues one job that minute", async () => {
    const [schedule] = await db().$queryRaw<{ name: string; data: object | null; options: { singletonKey?: string; singletonSeconds?: number } }[]>`
      SELECT name, data, options FROM pgboss.schedule WHERE name = ${QUEUES.retention}`;
    expect(schedule?.options).toMatchObject({ singletonKey: "cron", singletonSeconds: 60 });
    // What pg-boss's send-it handler inserts for a tick (timekeeper.js: `{ name, data, ...options }`), twice.
    const boss = createBoss(process.env.DATABASE_URL!, "sender");
    await boss.start();
    try {
      const before = (await jobsOf(QUEUES.retention)).filter((j) => j.singletonKey === "cron").length;
      // Both inserts inside one minute: wait if the minute is about to turn.
      if (Date.now() % 60_000 > 55_000) await sleep(60_000 - (Date.now() % 60_000) + 100);
      const tick = { name: schedule!.name, data: schedule!.data ?? {}, ...schedule!.options };
      await boss.insert([tick]);
      await boss.insert([tick]);
      const after = (await jobsOf(QUEUES.retention)).filter((j) => j.singletonKey === "cron").length;
      expect(after - before).toBe(1);
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
  });

  it("an app saved without its monitor gets one from the reconcile job", async () => {
    const app = await db().app.create({ data: { name: "shop", healthUrl: "http://127.0.0.1:3999/health", repoUrl: "https://example.invalid/x.git", deployPath: "/srv/x" } });
    await queueJob(QUEUES.appMonitors);
    await until("the app's monitor", () => db().monitor.findFirst({ where: { appId: app.id, isAppHealth: true } }));
  });

  it("retention runs as a job: raw results past 14 days go once they are rolled up", async () => {
    const m = await db().monitor.create({ data: { name: "old", type: "http", url: "http://127.0.0.1:1/", intervalSeconds: 60, status: "paused" } });
    const old = new Date(Date.now() - 20 * 86_400_000);
    await db().checkResult.create({ data: { monitorId: m.id, at: old, ok: true, latencyMs: 5 } });
    await db().setting.upsert({ where: { key: "health.rollup" }, create: { key: "health.rollup", value: { through: new Date().toISOString() } }, update: { value: { through: new Date().toISOString() } } });
    await queueJob(QUEUES.retention);
    await until("the old result to be pruned", async () => (await db().checkResult.count({ where: { monitorId: m.id } })) === 0);
    await until("the retention job to complete", async () => (await jobsOf(QUEUES.retention)).some((j) => j.state === "completed"));
  });

  it("a test notification is a delivery row and a job; the worker sends it at once", async () => {
    const channel = await db().notificationChannel.create({ data: { name: "hook", type: "webhook", encryptedUrl: encryptSecret(`${hooks.url}/hook`) } });
    const { sendTestNotification } = await import("../alerts/channels");
    const queuedAt = Date.now();
    await db().$transaction((tx) => sendTestNotification(tx, channel.id));
    await until("the webhook request", async () => hooks.requests.length === 1);
    const took = Date.now() - queuedAt;
    const row = await until("the delivery to be recorded", () => db().notificationDelivery.findFirst({ where: { channelId: channel.id, status: "delivered" } }));
    expect(row.attempts).toBe(1);
    // Woken by NOTIFY at commit, not found by a poll (the poll is every 2 s).
    expect(took).toBeLessThan(1_500);
    await until("the job to complete", async () => (await jobsOf(QUEUES.notify)).every((j) => j.state === "completed"));
  });

  it("an alert whose worker died mid-send is retried by pg-boss and sent once the job expires", async () => {
    const channel = await db().notificationChannel.create({ data: { name: "dead", type: "webhook", encryptedUrl: encryptSecret(`${hooks.url}/dead`) } });
    const { enqueueAlert } = await import("../alerts/deliveries");
    // What a worker SIGKILLed while posting leaves behind, committed at once so no live worker takes the job first:
    // its job active since 40 s ago (expiry: 30 s), and the delivery claimed (one attempt) with its 25 s lease over.
    await db().$transaction(async (tx) => {
      await enqueueAlert(tx, { event: "test", monitor: { id: "m", name: "api", type: "http", target: "-", app: null }, at: new Date().toISOString(), detail: "dead worker", incident: null }, [channel.id]);
      const delivery = await tx.notificationDelivery.findFirstOrThrow({ where: { channelId: channel.id } });
      await tx.notificationDelivery.update({ where: { id: delivery.id }, data: { attempts: 1, nextAttemptAt: new Date(Date.now() - 15_000) } });
      await tx.$executeRaw`
        UPDATE pgboss.job SET state = 'active', started_on = now() - interval '40 seconds'
        WHERE name = ${QUEUES.notify} AND data->>'deliveryId' = ${delivery.id}`;
    });
    const before = hooks.requests.filter((r) => r.path === "/dead").length;
    // pg-boss's expiry runs every 15 s on the workers; a second instance that runs it every second stands in for the wait.
    const supervisor = createBoss(process.env.DATABASE_URL!, "worker", { maintenanceIntervalSeconds: 1, schedule: false });
    await supervisor.start();
    try {
      const row = await until("the retried delivery", () => db().notificationDelivery.findFirst({ where: { channelId: channel.id, status: "delivered" } }), 20_000);
      expect(row.attempts).toBe(2);
      expect(hooks.requests.filter((r) => r.path === "/dead").length - before).toBe(1);
      const [job] = await db().$queryRaw<{ state: string; retryCount: number }[]>`
        SELECT state::text AS state, retry_count AS "retryCount" FROM pgboss.job WHERE name = ${QUEUES.notify} AND data->>'deliveryId' = ${row.id}`;
      expect(job).toEqual({ state: "completed", retryCount: 1 });
    } finally {
      await supervisor.stop({ graceful: false });
    }
  });
});
