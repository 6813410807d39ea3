import { describe, expect, it } from "vitest";
import { AddressGuard, type Resolver } from "../../net/guard";
import { closedPort, startSilentServer } from "../../net/testing/servers";
import { checkTcp } from "./tcp";

const guard = new AddressGuard();

describe("checkTcp", () => {
  it("is up when the port accepts a connection", async () => {
    const server = await startSilentServer();
    try {
      const r = await checkTcp({ host: "127.0.0.1", port: server.port, timeoutMs: 2_000 }, { guard });
      expect(r).toMatchObject({ ok: true, detail: `TCP ${server.port} open` });
      await new Promise((r) => setTimeout(r, 20));
      expect(server.connections()).toBe(1);
    } finally {
      await server.close();
    }
  });

  it("is down when nothing listens", async () => {
    const port = await closedPort();
    const r = await checkTcp({ host: "localhost", port, timeoutMs: 2_000 }, { guard });
    expect(r.ok).toBe(false);
    expect(r.detail).toMatch(/connection refused/);
  });

  it("refuses metadata targets, literal or resolved, without connecting", async () => {
    const resolve: Resolver = async () => [{ address: "169.254.169.254", family: 4 }];
    const started = Date.now();
    expect((await checkTcp({ host: "169.254.169.254", port: 80, timeoutMs: 5_000 }, { guard })).detail).toMatch(/is refused/);
    expect((await checkTcp({ host: "imds.test", port: 80, timeoutMs: 5_000 }, { guard, resolve })).detail).toMatch(/imds\.test \(169\.254\.169\.254\) is refused/);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it("cuts a name resolution that hangs at the timeout", async () => {
    const hang: Resolver = () => new Promise(() => undefined);
    const r = await checkTcp({ host: "slow-dns.test", port: 80, timeoutMs: 300 }, { guard, resolve: hang });
    expect(r).toEqual({ ok: false, latencyMs: 300, detail: "timed out after 300 ms" });
  });
});
