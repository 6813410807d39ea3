import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "../../test/harness/ports";
import { createDbClient, db, type Db } from "./client";
import { isConnectionLoss, isUnreachable, retryingOnConnectionLoss, retryUntil } from "./retry";
import { connectionFields } from "./url";

// A TCP proxy in front of the test database that can be "down" (nothing listening: connection refused)
// and "up" (forwarding), standing in for a Postgres restart without disturbing the other test files.
async function proxy(port: number) {
  const target = connectionFields(process.env.DATABASE_URL!);
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let cutNext = false;
  return {
    url: process.env.DATABASE_URL!.replace(`:${target.port}/`, `:${port}/`),
    up: () =>
      new Promise<void>((resolve) => {
        server = net.createServer((client) => {
          const upstream = net.connect(target.port, target.host);
          for (const s of [client, upstream]) {
            sockets.add(s);
            s.on("error", () => undefined);
            s.on("close", () => sockets.delete(s));
          }
          client.on("data", () => {
            if (!cutNext) return;
            // The next statement sent is cut on its way: what a Postgres shutdown does to a query it is running.
            cutNext = false;
            client.destroy();
            upstream.destroy();
          });
          client.pipe(upstream).pipe(client);
        });
        server.listen(port, "127.0.0.1", () => resolve());
      }),
    cutNextStatement: () => {
      cutNext = true;
    },
    down: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      server = null;
    },
  };
}

const clients: Db[] = [];
afterEach(async () => {
  // A pool that lost a connection inside an interactive transaction may never finish disconnecting
  // (Prisma 6.19 with adapter-pg): don't let that hold the test file.
  for (const c of clients.splice(0)) await Promise.race([c.$disconnect().catch(() => undefined), new Promise((r) => setTimeout(r, 2_000))]);
});

describe("retrying on connection loss, against the real database", () => {
  it("a query waits out a database that is unreachable for 1.5 s, then succeeds", async () => {
    const p = await proxy(await freePort());
    const direct = createDbClient(p.url, 2);
    clients.push(direct);
    // Down from the start: the first connection attempt is refused.
    const startedAt = Date.now();
    setTimeout(() => void p.up(), 1_500);
    const rows = await retryingOnConnectionLoss(direct).$queryRaw<{ one: number }[]>`SELECT 1 AS one`;
    expect(rows).toEqual([{ one: 1 }]);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1_400);

    // Down again: the pool drops its connection (as it does when Postgres ends its sessions on shutdown), new
    // connections are refused, and the next query waits until it is back.
    await p.down();
    await new Promise((r) => setTimeout(r, 200));
    setTimeout(() => void p.up(), 1_000);
    expect(await retryingOnConnectionLoss(direct).$queryRaw<{ two: number }[]>`SELECT 2 AS two`).toEqual([{ two: 2 }]);
    await p.down();
  });

  it("a read cut mid-statement is asked again on a new connection; a write cut the same way is not repeated", async () => {
    const p = await proxy(await freePort());
    await p.up();
    const direct = createDbClient(p.url, 1);
    clients.push(direct);
    const client = retryingOnConnectionLoss(direct, 5_000);
    await client.setting.findMany({ take: 1 });
    p.cutNextStatement();
    expect(Array.isArray(await client.setting.findMany({ take: 1 }))).toBe(true);

    await client.setting.findMany({ take: 1 });
    p.cutNextStatement();
    const key = `retry-cut-write-${Date.now()}`;
    const err = await client.setting.create({ data: { key, value: { n: 1 } } }).then(
      () => null,
      (e: unknown) => e,
    );
    // The write may or may not have committed before the cut: it is the caller's to decide, never repeated here.
    expect(isConnectionLoss(err)).toBe(true);
    expect(isUnreachable(err)).toBe(false);
    await db().setting.deleteMany({ where: { key } });
    await p.down();
  });

  it("a transaction cut half-way is not retried statement by statement; repeated whole, it completes once", async () => {
    const key = `retry-test-${Date.now()}`;
    const client = createDbClient(process.env.DATABASE_URL!, 2);
    clients.push(client);
    let attempts = 0;
    const errors: unknown[] = [];
    await retryUntil(
      () =>
        retryingOnConnectionLoss(client).$transaction(async (tx) => {
          attempts++;
          await tx.setting.upsert({ where: { key }, create: { key, value: { n: attempts } }, update: { value: { n: attempts } } });
          if (attempts === 1) {
            // What a Postgres shutdown does to every session: this transaction's backend is terminated.
            const [me] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
            await db().$queryRaw`SELECT pg_terminate_backend(${me!.pid})`;
          }
          await tx.$queryRaw`SELECT 1`;
        }),
      { forMs: 10_000, retryIf: (err) => (errors.push(err), isConnectionLoss(err)), delayMs: () => 200 },
    );
    expect(attempts).toBe(2);
    expect(errors).toHaveLength(1);
    expect(isConnectionLoss(errors[0])).toBe(true);
    // A cut inside a transaction is not proof the statement never ran: no single statement is repeated after it.
    expect(isUnreachable(errors[0])).toBe(false);
    // The first attempt's upsert was rolled back with its transaction; the second one's stands.
    expect((await db().setting.findUniqueOrThrow({ where: { key } })).value).toEqual({ n: 2 });
    await db().setting.delete({ where: { key } });
  });

  it("without the wrapper the same outage is an error, classified as a connection loss", async () => {
    const p = await proxy(await freePort());
    const direct = createDbClient(p.url, 2);
    clients.push(direct);
    const err = await direct.$queryRaw`SELECT 1`.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).not.toBeNull();
    expect(isConnectionLoss(err)).toBe(true);
  });

  it("gives up after its limit, and never retries an error that is not a connection loss", async () => {
    const p = await proxy(await freePort());
    const direct = createDbClient(p.url, 2);
    clients.push(direct);
    const startedAt = Date.now();
    await expect(retryingOnConnectionLoss(direct, 1_000).$queryRaw`SELECT 1`).rejects.toSatisfy(isConnectionLoss);
    expect(Date.now() - startedAt).toBeLessThan(5_000);

    const broken = await retryingOnConnectionLoss(db()).$queryRaw`SELECT * FROM no_such_table`.then(
      () => null,
      (e: unknown) => e,
    );
    expect(broken).not.toBeNull();
    expect(isConnectionLoss(broken)).toBe(false);
  });
});
