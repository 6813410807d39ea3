import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "../../test/harness/ports";
import { createDbClient, db, type Db } from "./client";
import { isConnectionLoss, retryingOnConnectionLoss } from "./retry";
import { connectionFields } from "./url";

// A TCP proxy in front of the test database that can be "down" (nothing listening: connection refused)
// and "up" (forwarding), standing in for a Postgres restart without disturbing the other test files.
async function proxy(port: number) {
  const target = connectionFields(process.env.DATABASE_URL!);
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
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
          client.pipe(upstream).pipe(client);
        });
        server.listen(port, "127.0.0.1", () => resolve());
      }),
    down: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      server = null;
    },
  };
}

const clients: Db[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.$disconnect().catch(() => undefined);
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

    // Cut again, mid-session: the pooled connection dies with the proxy; the next query reconnects once it is back.
    await p.down();
    setTimeout(() => void p.up(), 1_000);
    expect(await retryingOnConnectionLoss(direct).$queryRaw<{ two: number }[]>`SELECT 2 AS two`).toEqual([{ two: 2 }]);
    await p.down();
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
