import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { encryptSecret } from "../crypto/secretbox";
import { QUEUES, stopJobSender } from "../jobs/queues";
import { AddressGuard } from "../net/guard";
import { startHttpServer, type TestHttpServer } from "../net/testing/servers";
import { alertText, backoffMs, deliverNotification, DELIVERY_LEASE_MS, enqueueAlert, MAX_DELIVERY_ATTEMPTS, requeueStrandedDeliveries, type AlertPayload, type DeliveryOutcome } from "./deliveries";

const guard = new AddressGuard();
let hooks: TestHttpServer;
let failuresLeft = 0;

beforeAll(async () => {
  hooks = await startHttpServer((req, res) => {
    if (req.url === "/flaky" && failuresLeft > 0) {
      failuresLeft--;
      res.writeHead(502);
      res.end("bad gateway");
      return;
    }
    if (req.url === "/slow") {
      setTimeout(() => {
        res.writeHead(200);
        res.end("ok");
      }, 1_000);
      return;
    }
    if (req.url === "/broken") {
      res.writeHead(500);
      res.end("always broken");
      return;
    }
    res.writeHead(200);
    res.end("ok");
  });
});
afterAll(() => hooks.close());
beforeEach(async () => {
  await db().notificationDelivery.deleteMany();
  await db().notificationChannel.deleteMany();
  hooks.requests.length = 0;
});

const payload: AlertPayload = {
  event: "monitor.down",
  monitor: { id: "m1", name: "checkout", type: "http", target: "http://shop.internal/health", app: "shop" },
  at: "2026-03-01T12:00:00.000Z",
  detail: "HTTP 503 (expected 200-399)",
  incident: { id: "i1", startedAt: "2026-03-01T11:59:00.000Z", endedAt: null, durationSeconds: null },
};

async function channel(name: string, type: "webhook" | "slack", path: string) {
  return db().notificationChannel.create({ data: { name, type, encryptedUrl: encryptSecret(`${hooks.url}${path}`) } });
}

interface QueuedJob {
  deliveryId: string;
  startAfter: Date;
  state: string;
}
/** The pg-boss jobs of the notify queue, oldest first. */
async function notifyJobs(): Promise<QueuedJob[]> {
  return db().$queryRaw<QueuedJob[]>`
    SELECT data->>'deliveryId' AS "deliveryId", start_after AS "startAfter", state::text AS state
    FROM pgboss.job WHERE name = ${QUEUES.notify} ORDER BY created_on, start_after`;
}

/** What the worker does with each job (lib/worker.ts), for every delivery row. */
async function deliverAll(opts: { now?: Date } = {}): Promise<Record<DeliveryOutcome, number>> {
  const tally: Record<DeliveryOutcome, number> = { delivered: 0, retrying: 0, failed: 0, skipped: 0, deferred: 0 };
  for (const d of await db().notificationDelivery.findMany({ orderBy: { createdAt: "asc" } })) {
    tally[await deliverNotification(db(), d.id, { guard, ...opts })]++;
  }
  return tally;
}

describe("alert delivery to real webhook servers", () => {
  beforeEach(async () => {
    await db().$executeRaw`DELETE FROM pgboss.job WHERE name = ${QUEUES.notify}`.catch(() => undefined);
  });
  afterAll(() => stopJobSender());

  it("queues one pg-boss job per channel with the alert, and a rolled-back alert leaves neither", async () => {
    await channel("generic", "webhook", "/generic");
    await channel("slack", "slack", "/slack");
    await db().$transaction((tx) => enqueueAlert(tx, payload));
    const rows = await db().notificationDelivery.findMany();
    const jobs = await notifyJobs();
    expect(jobs.map((j) => j.deliveryId).sort()).toEqual(rows.map((r) => r.id).sort());
    expect(jobs.every((j) => j.state === "created" && j.startAfter.getTime() <= Date.now())).toBe(true);

    await expect(
      db().$transaction(async (tx) => {
        await enqueueAlert(tx, { ...payload, detail: "never" });
        throw new Error("the status change failed");
      }),
    ).rejects.toThrow("the status change failed");
    expect(await db().notificationDelivery.count()).toBe(2);
    expect(await notifyJobs()).toHaveLength(2);
  });

  it("posts the generic JSON event and a Slack-compatible text message", async () => {
    await channel("generic", "webhook", "/generic");
    await channel("slack", "slack", "/slack");
    await db().$transaction((tx) => enqueueAlert(tx, payload));
    expect(await deliverAll()).toEqual({ delivered: 2, retrying: 0, failed: 0, skipped: 0, deferred: 0 });
    const generic = JSON.parse(hooks.requests.find((r) => r.path === "/generic")!.body) as AlertPayload & { text: string };
    expect(generic).toMatchObject({ event: "monitor.down", monitor: { name: "checkout" }, detail: "HTTP 503 (expected 200-399)" });
    const slack = JSON.parse(hooks.requests.find((r) => r.path === "/slack")!.body) as { text: string };
    expect(slack.text).toBe("🔴 checkout (shop) is DOWN: HTTP 503 (expected 200-399) — http://shop.internal/health");
    const rows = await db().notificationDelivery.findMany();
    expect(rows.every((r) => r.status === "delivered" && r.attempts === 1 && r.lastError === null)).toBe(true);
    // A job run again (pg-boss retrying one whose worker died after sending) sends nothing twice.
    expect(await deliverAll()).toEqual({ delivered: 0, retrying: 0, failed: 0, skipped: 2, deferred: 0 });
    expect(hooks.requests).toHaveLength(2);
  });

  it("retries a failing endpoint with backoff until it answers, each attempt its own job", async () => {
    await channel("flaky", "webhook", "/flaky");
    failuresLeft = 2;
    await db().$transaction((tx) => enqueueAlert(tx, payload));
    const t0 = new Date();
    expect(await deliverAll({ now: t0 })).toMatchObject({ retrying: 1 });
    let row = await db().notificationDelivery.findFirstOrThrow();
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastError: "HTTP 502: bad gateway" });
    expect(row.nextAttemptAt.getTime()).toBe(t0.getTime() + backoffMs(1));
    expect((await notifyJobs()).map((j) => j.startAfter.getTime())).toContain(t0.getTime() + backoffMs(1));

    // Not due yet (a job run early): nothing is sent.
    expect(await deliverAll({ now: new Date(t0.getTime() + backoffMs(1) - 1_000) })).toMatchObject({ skipped: 1 });
    const t1 = new Date(t0.getTime() + backoffMs(1));
    expect(await deliverAll({ now: t1 })).toMatchObject({ retrying: 1 });
    row = await db().notificationDelivery.findFirstOrThrow();
    expect(row.nextAttemptAt.getTime()).toBe(t1.getTime() + backoffMs(2));
    expect((await notifyJobs()).map((j) => j.startAfter.getTime())).toContain(t1.getTime() + backoffMs(2));
    expect(backoffMs(2)).toBe(2 * backoffMs(1));

    expect(await deliverAll({ now: new Date(t1.getTime() + backoffMs(2)) })).toMatchObject({ delivered: 1 });
    row = await db().notificationDelivery.findFirstOrThrow();
    expect(row).toMatchObject({ status: "delivered", attempts: 3, lastError: null });
    expect(hooks.requests.filter((r) => r.path === "/flaky")).toHaveLength(3);
    expect(await notifyJobs()).toHaveLength(3);
  });

  it("gives up after the last attempt and keeps the error", async () => {
    await channel("broken", "webhook", "/broken");
    await db().$transaction((tx) => enqueueAlert(tx, payload));
    let now = new Date();
    for (let i = 1; i <= MAX_DELIVERY_ATTEMPTS; i++) {
      await deliverAll({ now });
      now = new Date(now.getTime() + backoffMs(i));
    }
    const row = await db().notificationDelivery.findFirstOrThrow();
    expect(row).toMatchObject({ status: "failed", attempts: MAX_DELIVERY_ATTEMPTS, lastError: "HTTP 500: always broken" });
    // One job per attempt, none queued after the last.
    expect(await notifyJobs()).toHaveLength(MAX_DELIVERY_ATTEMPTS);
    expect(await deliverAll({ now: new Date(now.getTime() + 86_400_000) })).toMatchObject({ skipped: 1 });
  });

  it("two jobs for one delivery running at once send it once", async () => {
    await channel("a", "webhook", "/a");
    for (let i = 0; i < 10; i++) await db().$transaction((tx) => enqueueAlert(tx, { ...payload, detail: `n${i}` }));
    const [x, y] = await Promise.all([deliverAll(), deliverAll()]);
    expect(x.delivered + y.delivered).toBe(10);
    expect(x.skipped + y.skipped).toBe(10);
    expect(hooks.requests).toHaveLength(10);
    expect(new Set(hooks.requests.map((r) => (JSON.parse(r.body) as AlertPayload).detail)).size).toBe(10);
  });

  it("a delivery whose job was lost (its handler crashed after the claim) gets a job again, for when it is due", async () => {
    await channel("a", "webhook", "/a");
    await db().$transaction((tx) => enqueueAlert(tx, payload));
    const row = await db().notificationDelivery.findFirstOrThrow();
    // Claimed by a job that then crashed before recording anything: lease running, no job waiting.
    const leaseEnd = new Date(Date.now() + DELIVERY_LEASE_MS);
    await db().notificationDelivery.update({ where: { id: row.id }, data: { attempts: 1, nextAttemptAt: leaseEnd } });
    await db().$executeRaw`DELETE FROM pgboss.job WHERE name = ${QUEUES.notify}`;
    // pg-boss retries the crashed job: not due yet, so it makes sure a job will run when it is.
    expect(await deliverNotification(db(), row.id, { guard })).toBe("deferred");
    const jobs = await notifyJobs();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.startAfter.getTime()).toBe(leaseEnd.getTime());
    // A second early job sees that one waiting and adds nothing.
    expect(await deliverNotification(db(), row.id, { guard })).toBe("skipped");
    expect(await notifyJobs()).toHaveLength(1);
    expect(await deliverNotification(db(), row.id, { guard, now: leaseEnd })).toBe("delivered");
  });

  it("pending deliveries with no job at all (older releases, lost jobs) are queued again by the sweep", async () => {
    await channel("a", "webhook", "/a");
    await db().$transaction((tx) => enqueueAlert(tx, payload));
    await db().$executeRaw`DELETE FROM pgboss.job WHERE name = ${QUEUES.notify}`;
    expect(await requeueStrandedDeliveries(db())).toBe(0); // due just now: not stranded yet
    await db().notificationDelivery.updateMany({ data: { nextAttemptAt: new Date(Date.now() - 5 * 60_000) } });
    expect(await requeueStrandedDeliveries(db())).toBe(1);
    expect(await requeueStrandedDeliveries(db())).toBe(0);
    expect(await notifyJobs()).toHaveLength(1);
  });

  it("a worker that resumes after its lease ran out does not overwrite the attempt that took over", async () => {
    await channel("slow", "webhook", "/slow");
    await db().$transaction((tx) => enqueueAlert(tx, payload));
    const row = await db().notificationDelivery.findFirstOrThrow();
    const late = deliverNotification(db(), row.id, { guard });
    await new Promise((r) => setTimeout(r, 300));
    // Meanwhile another job claimed the delivery after the lease and delivered it.
    await db().notificationDelivery.update({ where: { id: row.id }, data: { attempts: 2, status: "delivered" } });
    expect(await late).toBe("skipped");
    expect(await db().notificationDelivery.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "delivered", attempts: 2 });
  });

  it("refuses a webhook pointing at the metadata service", async () => {
    await db().notificationChannel.create({ data: { name: "evil", type: "webhook", encryptedUrl: encryptSecret("http://169.254.169.254/latest") } });
    await db().$transaction((tx) => enqueueAlert(tx, payload));
    await deliverAll();
    expect((await db().notificationDelivery.findFirstOrThrow()).lastError).toMatch(/169\.254\.169\.254 is refused/);
  });

  it("words a recovery with its duration", () => {
    expect(alertText({ ...payload, event: "monitor.up", detail: "HTTP 200", incident: { ...payload.incident!, durationSeconds: 600 } })).toBe("✅ checkout (shop) is back UP after 10 min: HTTP 200 — http://shop.internal/health");
  });
});
