import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "../helpers/http";
import { appDb } from "../helpers/app-db";
import { createApiToken } from "../../lib/auth/tokens";
import { startHttpServer, type TestHttpServer } from "../../lib/net/testing/servers";

/** Against the real app (next start + worker with the health scheduler) the test runner started, over HTTP. */
let target: TestHttpServer;
let admin = "";
let viewer = "";

beforeAll(async () => {
  target = await startHttpServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"db":"ok"}');
  });
  admin = (await createApiToken(appDb(), { name: `mon-admin-${Date.now()}`, role: "admin" })).token;
  viewer = (await createApiToken(appDb(), { name: `mon-viewer-${Date.now()}`, role: "viewer" })).token;
});
afterAll(async () => {
  await target.close();
  await appDb().$disconnect();
});

const post = (body: unknown, token = admin) => api("/api/v1/monitors", token, { method: "POST", body: JSON.stringify(body) });

describe("/api/v1/monitors", () => {
  it("creates a monitor (201), the worker checks it, and list, uptime and series report it", async () => {
    const res = await post({ name: `api-${Date.now()}`, type: "http", url: `${target.url}/health`, intervalSeconds: 10, timeoutSeconds: 5, retries: 0, expectedStatus: "200-299", keyword: '"db":"ok"' });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; status: string; type: string };
    expect(created).toMatchObject({ id: expect.any(String), status: "pending", type: "http" });

    let listed: { id: string; name: string; type: string; status: string; lastCheckedAt: string | null } | undefined;
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const list = (await (await api("/api/v1/monitors", viewer)).json()) as (typeof listed)[];
      listed = list.find((m) => m?.id === created.id);
      if (listed?.status === "up") break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(listed).toMatchObject({ id: created.id, type: "http", status: "up", lastCheckedAt: expect.any(String) });

    const uptime = await api(`/api/v1/monitors/${created.id}/uptime?window=24h`, viewer);
    expect(uptime.status).toBe(200);
    const u = (await uptime.json()) as { window: string; uptimePercent: number; checks: number; failures: number };
    expect(u).toMatchObject({ window: "24h", uptimePercent: 100, failures: 0 });
    expect(u.checks).toBeGreaterThanOrEqual(1);

    const from = new Date(Date.now() - 3_600_000).toISOString();
    const series = await api(`/api/v1/monitors/${created.id}/series?from=${encodeURIComponent(from)}&to=${encodeURIComponent(new Date().toISOString())}&bucket=1m`, viewer);
    expect(series.status).toBe(200);
    const { points } = (await series.json()) as { points: { t: string; checks: number; failures: number; p50: number; p95: number; p99: number }[] };
    expect(points.length).toBeGreaterThanOrEqual(1);
    expect(points[0]).toMatchObject({ t: expect.any(String), checks: expect.any(Number), failures: 0, p50: expect.any(Number), p95: expect.any(Number), p99: expect.any(Number) });
  });

  it("answers 400 with a message for a metadata target, and for a name of the IPv4-mapped form", async () => {
    for (const url of ["http://169.254.169.254/latest/meta-data/", "http://[::ffff:169.254.169.254]/", "http://[fd00:ec2::254]/"]) {
      const res = await post({ name: "meta", type: "http", url, intervalSeconds: 60 });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("target_denied");
      expect(body.error.message).toMatch(/is refused/);
    }
    const tcp = await post({ name: "meta-tcp", type: "tcp", host: "100.100.100.200", port: 80 });
    expect(tcp.status).toBe(400);
  });

  it("validates input and roles", async () => {
    expect((await post({ name: "x", type: "tcp", host: "127.0.0.1", port: 1 }, viewer)).status).toBe(403);
    const bad = await post({ name: "x", type: "http", url: `${target.url}/`, intervalSeconds: 5 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/interval must be at least 10/);
    expect((await api("/api/v1/monitors/nope/uptime?window=24h", viewer)).status).toBe(404);
    expect((await api("/api/v1/monitors/nope/uptime?window=1y", viewer)).status).toBe(400);
    expect((await api("/api/v1/monitors/nope/series?from=yesterday", viewer)).status).toBe(400);
  });

  it("pauses, resumes, updates and deletes", async () => {
    const { id } = (await (await post({ name: `crud-${Date.now()}`, type: "tcp", host: "127.0.0.1", port: target.port, intervalSeconds: 60 })).json()) as { id: string };
    expect(((await (await api(`/api/v1/monitors/${id}/pause`, admin, { method: "POST" })).json()) as { status: string }).status).toBe("paused");
    expect(((await (await api(`/api/v1/monitors/${id}/resume`, admin, { method: "POST" })).json()) as { status: string }).status).toBe("pending");
    const patched = await api(`/api/v1/monitors/${id}`, admin, { method: "PATCH", body: JSON.stringify({ intervalSeconds: 120, retries: 3 }) });
    expect(await patched.json()).toMatchObject({ id, intervalSeconds: 120, retries: 3 });
    expect((await api(`/api/v1/monitors/${id}`, admin, { method: "DELETE" })).status).toBe(200);
    expect((await api(`/api/v1/monitors/${id}`, viewer)).status).toBe(404);
  });
});
