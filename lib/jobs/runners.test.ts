import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { createBoss, ensureQueues, QUEUES, WAKE_CHANNEL } from "./queues";
import { startJobRunners, type JobRunners } from "./runners";

// The queue runner alone, against a real Postgres and pg-boss, with handlers that are plain functions: what each
// queue's job does in production is lib/worker.ts's business (lib/worker.test.ts).
let boss: PgBoss;
let runners: JobRunners;
const ran: { id: string; at: number }[] = [];
let running = 0;
let mostAtOnce = 0;

beforeAll(async () => {
  boss = createBoss(process.env.DATABASE_URL!, "worker", { schedule: false });
  await boss.start();
  await ensureQueues(boss);
  runners = await startJobRunners(boss, process.env.DATABASE_URL!, {
    rollup: {
      capacity: 2,
      handle: async (job) => {
        running++;
        mostAtOnce = Math.max(mostAtOnce, running);
        await new Promise((r) => setTimeout(r, 200));
        running--;
        ran.push({ id: job.id, at: Date.now() });
      },
    },
    deploy: {
      capacity: 1,
      handle: async () => {
        throw new Error("the handler gave up");
      },
    },
  });
});
afterAll(async () => {
  await runners.stop();
  await boss.stop({ graceful: false });
});

const jobState = async (id: string) => {
  const [row] = await db().$queryRaw<{ state: string; output: { message?: string } | null }[]>`
    SELECT state::text AS state, output FROM pgboss.job WHERE id = ${id}::uuid`;
  return row;
};

async function until(what: string, probe: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("the queue runner", () => {
  it("runs a job as soon as a NOTIFY wakes it, and records it completed", async () => {
    const sentAt = Date.now();
    const id = (await boss.send(QUEUES.rollup, {}))!;
    await db().$executeRawUnsafe(`NOTIFY ${WAKE_CHANNEL}`);
    await until("the job to run", () => ran.some((r) => r.id === id));
    // The poll is every 2 s; the handler itself takes 200 ms.
    expect(ran.find((r) => r.id === id)!.at - sentAt).toBeLessThan(1_500);
    await until("the job to be completed", async () => (await jobState(id))?.state === "completed");
  });

  it("runs no more than a queue's capacity at once", async () => {
    const ids = await Promise.all(Array.from({ length: 6 }, () => boss.send(QUEUES.rollup, {})));
    await db().$executeRawUnsafe(`NOTIFY ${WAKE_CHANNEL}`);
    await until("all six jobs", () => ids.every((id) => ran.some((r) => r.id === id)));
    expect(mostAtOnce).toBe(2);
  });

  it("fails the job of a handler that throws, with the error's message", async () => {
    const id = (await boss.send(QUEUES.deploy, {}, { retryLimit: 0 }))!;
    await db().$executeRawUnsafe(`NOTIFY ${WAKE_CHANNEL}`);
    await until("the job to be failed", async () => (await jobState(id))?.state === "failed");
    expect((await jobState(id))?.output).toEqual({ message: "the handler gave up" });
  });
});
