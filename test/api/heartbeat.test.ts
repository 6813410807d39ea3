import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "../../lib/auth/tokens";
import { api, baseUrl } from "../helpers/http";
import { appDb } from "../helpers/app-db";

/**
 * Heartbeat (push) monitors and GET /metrics, over HTTP against the running app and its worker: the push URL
 * from POST /api/v1/monitors, beats by GET and POST, a missed deadline found by the worker (down, incident),
 * recovery on the next beat, a failure report, a cron schedule, unknown tokens; /metrics behind a token and
 * checked by promtool.
 */
let admin: string;
let viewer: string;

beforeAll(async () => {
  admin = (await createApiToken(appDb(), { name: "beat-admin", role: "admin" })).token;
  viewer = (await createApiToken(appDb(), { name: "beat-viewer", role: "viewer" })).token;
});

afterAll(async () => {
  await appDb().$disconnect();
});

type Json = Record<string, unknown> & { error?: { code: string; message: string } };
const json = async (res: Response) => (await res.json()) as Json;

/** The push URL's path on the test app's own address (DECKHAND_PUBLIC_URL may name another). */
const local = (url: string) => `${baseUrl()}${new URL(url).pathname}`;

async function createHeartbeat(body: Record<string, unknown>): Promise<{ id: string; pushUrl: string; body: Json }> {
  const res = await api("/api/v1/monitors", admin, { method: "POST", body: JSON.stringify({ type: "heartbeat", ...body }) });
  const out = await json(res);
  expect(res.status, JSON.stringify(out)).toBe(201);
  return { id: String(out.id), pushUrl: String(out.pushUrl), body: out };
}

async function waitFor<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
const monitorRow = (id: string) => appDb().monitor.findUniqueOrThrow({ where: { id }, select: { status: true, nextRunAt: true, lastBeatAt: true } });

describe("heartbeat monitors", () => {
  it("POST /api/v1/monitors with type heartbeat answers with a push URL; a viewer cannot create one", async () => {
    const denied = await api("/api/v1/monitors", viewer, { method: "POST", body: JSON.stringify({ name: "nope", type: "heartbeat" }) });
    expect(denied.status).toBe(403);
    const { pushUrl, body } = await createHeartbeat({ name: "backup", intervalSeconds: 3600, graceSeconds: 300 });
    expect(pushUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/push\/dhb_[\w-]{32}$/);
    expect(body).toMatchObject({ type: "heartbeat", status: "pending", intervalSeconds: 3600, graceSeconds: 300, cron: null });
    // The monitor's read (viewers too) never carries the URL.
    const read = await json(await api(`/api/v1/monitors/${body.id}`, viewer));
    expect(read.pushUrl).toBeUndefined();
    expect(JSON.stringify(read)).not.toContain(new URL(pushUrl).pathname.split("/").pop());
    const bad = await api("/api/v1/monitors", admin, { method: "POST", body: JSON.stringify({ name: "x", type: "heartbeat", graceSeconds: -1 }) });
    expect((await json(bad)).error!.message).toMatch(/^graceSeconds: grace must be at least 0/);
  });

  it("a beat makes it up; no beat past interval + grace makes it down with an incident (found by the worker); the next beat recovers it", async () => {
    const { id, pushUrl } = await createHeartbeat({ name: "every-10s", intervalSeconds: 10, graceSeconds: 1 });
    const beat = await fetch(local(pushUrl));
    expect(beat.status).toBe(200);
    expect(await beat.json()).toEqual({ ok: true, status: "up" });
    const up = await monitorRow(id);
    expect(up.status).toBe("up");
    expect(up.nextRunAt.getTime() - up.lastBeatAt!.getTime()).toBe(11_000);

    const down = await waitFor(
      "monitor after a missed beat",
      () => monitorRow(id),
      (m) => m.status === "down",
      25_000,
    );
    // Down only once the deadline passed (the worker sweeps every second).
    expect(Date.now()).toBeGreaterThanOrEqual(up.lastBeatAt!.getTime() + 11_000);
    expect(down.status).toBe("down");
    const incident = await appDb().incident.findFirstOrThrow({ where: { monitorId: id } });
    expect(incident.cause).toMatch(/^no beat since .* \(due by .*\)$/);
    expect(incident.endedAt).toBeNull();

    const again = await fetch(local(pushUrl), { method: "POST" });
    expect(await again.json()).toEqual({ ok: true, status: "up" });
    expect((await appDb().incident.findUniqueOrThrow({ where: { id: incident.id } })).endedAt).not.toBeNull();
    const page = await json(await api(`/api/v1/monitors/${id}`, viewer));
    expect(page.status).toBe("up");
    expect(page.lastBeatAt).toEqual(expect.any(String));
  }, 60_000);

  it("a beat may report failure and a duration, by query string or JSON body", async () => {
    const { id, pushUrl } = await createHeartbeat({ name: "reports", intervalSeconds: 3600 });
    const failed = await fetch(`${local(pushUrl)}?status=down&msg=${encodeURIComponent("backup failed: disk full")}&ping=5230`);
    expect(await failed.json()).toEqual({ ok: true, status: "down" });
    const result = await appDb().checkResult.findFirstOrThrow({ where: { monitorId: id }, orderBy: { at: "desc" } });
    expect(result).toMatchObject({ ok: false, latencyMs: 5230, detail: "backup failed: disk full" });
    expect((await appDb().incident.findFirstOrThrow({ where: { monitorId: id } })).cause).toBe("backup failed: disk full");

    const ok = await fetch(local(pushUrl), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ status: "up", msg: "done in 2 s", ping: 2000 }) });
    expect(await ok.json()).toEqual({ ok: true, status: "up" });
    const bad = await fetch(`${local(pushUrl)}?status=sideways`);
    expect(bad.status).toBe(400);
    expect((await json(bad)).error!.message).toBe('status: must be "up" or "down"');
  });

  it("a cron schedule in a time zone sets the deadline to its next time + grace", async () => {
    const { id, body } = await createHeartbeat({ name: "nightly", cron: "0 3 * * *", timeZone: "Europe/Berlin", graceSeconds: 600 });
    expect(body).toMatchObject({ cron: "0 3 * * *", cronTimeZone: "Europe/Berlin", graceSeconds: 600 });
    const row = await monitorRow(id);
    const berlin3am = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Berlin", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(row.nextRunAt.getTime() - 600_000));
    expect(berlin3am).toBe("03:00");
    expect(row.nextRunAt.getTime()).toBeGreaterThan(Date.now());
    expect(row.nextRunAt.getTime()).toBeLessThanOrEqual(Date.now() + 24 * 3600_000 + 600_000);
    const bad = await api("/api/v1/monitors", admin, { method: "POST", body: JSON.stringify({ name: "x", type: "heartbeat", cron: "at night" }) });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error!.message).toMatch(/^cron: is not a cron expression/);
    const zone = await api("/api/v1/monitors", admin, { method: "POST", body: JSON.stringify({ name: "x", type: "heartbeat", cron: "0 3 * * *", timeZone: "Mars/Base" }) });
    expect((await json(zone)).error!.message).toMatch(/^timeZone: must be an IANA time zone/);
  });

  it("an unknown token is 404; a rotated token stops working", async () => {
    expect((await fetch(`${baseUrl()}/api/push/dhb_${"x".repeat(32)}`)).status).toBe(404);
    expect((await fetch(`${baseUrl()}/api/push/nonsense`, { method: "POST" })).status).toBe(404);
    const { id, pushUrl } = await createHeartbeat({ name: "rotated" });
    const rotated = await json(await api(`/api/v1/monitors/${id}/push-token`, admin, { method: "POST" }));
    expect(rotated.pushUrl).not.toBe(pushUrl);
    expect((await fetch(local(pushUrl))).status).toBe(404);
    expect((await fetch(local(String(rotated.pushUrl)))).status).toBe(200);
  });
});

describe("GET /metrics", () => {
  it("needs a token (any role) and answers Prometheus text that promtool accepts", async () => {
    expect((await fetch(`${baseUrl()}/metrics`)).status).toBe(401);
    const res = await api("/metrics", viewer);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const text = await res.text();
    expect(text).toMatch(/^deckhand_monitor_up\{monitor_id="[^"]+",name="reports",type="heartbeat",app=""\} 1$/m);
    expect(text).toMatch(/^deckhand_heartbeat_last_beat_timestamp_seconds\{[^}]*name="reports"[^}]*\} \d+(\.\d+)?$/m);
    expect(text).toContain("# TYPE deckhand_deploy_duration_seconds histogram");
    expect(text).toMatch(/^deckhand_queue_jobs\{queue="deckhand-health-check",state="created"\} \d+$/m);
    if (existsSync("/usr/bin/promtool")) {
      const check = spawnSync("/usr/bin/promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
      expect({ status: check.status, output: check.stdout + check.stderr }).toEqual({ status: 0, output: "" });
    }
  });
});
