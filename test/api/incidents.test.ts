import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "../helpers/http";
import { appDb } from "../helpers/app-db";
import { createApiToken } from "../../lib/auth/tokens";
import { startHttpServer, type TestHttpServer } from "../../lib/net/testing/servers";

/**
 * Incidents and maintenance windows against the running app and its worker (health scheduler and alert
 * delivery): a window opened over HTTP keeps a failing monitor quiet, deleting it lets the next failure alert
 * (counted at a real receiver), and the incident is acknowledged and annotated over the API.
 */
const run = Date.now().toString(36);
let target: TestHttpServer;
let receiver: TestHttpServer;
let healthy = true;
let admin = "";
let deployer = "";
let viewer = "";

beforeAll(async () => {
  target = await startHttpServer((_req, res) => {
    res.writeHead(healthy ? 200 : 503);
    res.end(healthy ? "ok" : "down");
  });
  receiver = await startHttpServer((_req, res) => {
    res.writeHead(200);
    res.end("ok");
  });
  admin = (await createApiToken(appDb(), { name: `inc-admin-${run}`, role: "admin" })).token;
  deployer = (await createApiToken(appDb(), { name: `inc-deployer-${run}`, role: "deployer" })).token;
  viewer = (await createApiToken(appDb(), { name: `inc-viewer-${run}`, role: "viewer" })).token;
});
afterAll(async () => {
  await target.close();
  await receiver.close();
  await appDb().$disconnect();
});

const json = (body: unknown) => ({ method: "POST", body: JSON.stringify(body) });
const alerts = () => receiver.requests.map((r) => JSON.parse(r.body) as { event: string; monitor: { id: string } });

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 40_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

describe("maintenance windows and incidents over the API", () => {
  it("a window keeps a failing monitor quiet and out of uptime; without it the failure alerts; the incident is acknowledged and noted", async () => {
    const channel = await api("/api/v1/channels", admin, json({ name: `inc-hook-${run}`, type: "webhook", config: { url: `${receiver.url}/hook` }, isDefault: false }));
    expect(channel.status).toBe(201);
    const channelId = ((await channel.json()) as { id: string }).id;
    const created = await api("/api/v1/monitors", admin, json({ name: `inc-api-${run}`, type: "http", url: `${target.url}/health`, intervalSeconds: 10, timeoutSeconds: 5, retries: 0, channelIds: [channelId] }));
    expect(created.status).toBe(201);
    const monitorId = ((await created.json()) as { id: string }).id;
    await until("the monitor up", async () => ((await (await api(`/api/v1/monitors/${monitorId}`, viewer)).json()) as { status: string }).status === "up");

    const now = Date.now();
    const win = await api("/api/v1/maintenance", admin, json({ name: `inc-window-${run}`, startsAt: new Date(now - 60_000).toISOString(), endsAt: new Date(now + 600_000).toISOString(), monitorIds: [monitorId] }));
    expect(win.status).toBe(201);
    const window = (await win.json()) as { id: string; kind: string; active: boolean; monitorIds: string[] };
    expect(window).toMatchObject({ kind: "one-off", active: true, monitorIds: [monitorId] });
    expect(((await (await api(`/api/v1/monitors/${monitorId}`, viewer)).json()) as { inMaintenance: boolean }).inMaintenance).toBe(true);
    expect(((await (await api("/api/v1/monitors", viewer)).json()) as { id: string; inMaintenance: boolean }[]).find((m) => m.id === monitorId)).toMatchObject({ inMaintenance: true });
    expect(((await (await api("/api/v1/maintenance", viewer)).json()) as { id: string }[]).some((w) => w.id === window.id)).toBe(true);

    healthy = false;
    const failedInWindow = await until("two failed checks in the window", async () => {
      const rows = await appDb().checkResult.findMany({ where: { monitorId, ok: false, inMaintenance: true } });
      return rows.length >= 2 ? rows : null;
    });
    expect(failedInWindow.length).toBeGreaterThanOrEqual(2);
    expect(((await (await api(`/api/v1/monitors/${monitorId}`, viewer)).json()) as { status: string }).status).toBe("up");
    const uptime = (await (await api(`/api/v1/monitors/${monitorId}/uptime?window=24h`, viewer)).json()) as { failures: number; uptimePercent: number };
    expect(uptime).toMatchObject({ failures: 0, uptimePercent: 100 });
    expect(alerts().filter((a) => a.monitor.id === monitorId)).toEqual([]);

    expect((await api(`/api/v1/maintenance/${window.id}`, admin, { method: "DELETE" })).status).toBe(200);
    expect((await api(`/api/v1/maintenance/${window.id}`, viewer)).status).toBe(404);
    await until("the down alert at the receiver", async () => alerts().some((a) => a.monitor.id === monitorId && a.event === "monitor.down"));

    const open = (await (await api("/api/v1/incidents?open=true", viewer)).json()) as { id: string; monitorId: string; acknowledgedAt: string | null; suppressed: string | null }[];
    const incident = open.find((i) => i.monitorId === monitorId)!;
    expect(incident).toMatchObject({ acknowledgedAt: null, suppressed: null });
    expect((await api(`/api/v1/incidents/${incident.id}/ack`, viewer, json({}))).status).toBe(403);
    const acked = await api(`/api/v1/incidents/${incident.id}/ack`, deployer, json({}));
    expect(acked.status).toBe(200);
    expect(await acked.json()).toMatchObject({ id: incident.id, acknowledgedBy: `token inc-deployer-${run}`, acknowledgedAt: expect.any(String) });
    const note = await api(`/api/v1/incidents/${incident.id}/notes`, deployer, json({ text: "Restarting the pool" }));
    expect(note.status).toBe(201);
    expect(await note.json()).toMatchObject({ author: `token inc-deployer-${run}`, text: "Restarting the pool" });
    const empty = await api(`/api/v1/incidents/${incident.id}/notes`, deployer, json({ text: " " }));
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { error: { message: string } }).error.message).toBe("text: text is required");
    const listed = (await (await api(`/api/v1/incidents?monitorId=${monitorId}`, viewer)).json()) as { notes: { text: string }[] }[];
    expect(listed[0]!.notes.map((n) => n.text)).toEqual(["Restarting the pool"]);
    expect((await api("/api/v1/incidents/nope/ack", deployer, json({}))).status).toBe(404);

    healthy = true;
    await until("the recovery alert", async () => alerts().some((a) => a.monitor.id === monitorId && a.event === "monitor.up"));
  });

  it("dependsOnId refuses itself and cycles; maintenance input errors name the field; only admins add windows", async () => {
    const make = async (name: string, extra: Record<string, unknown> = {}) => {
      const res = await api("/api/v1/monitors", admin, json({ name: `${name}-${run}`, type: "tcp", host: "127.0.0.1", port: 9, intervalSeconds: 3600, ...extra }));
      expect(res.status).toBe(201);
      return ((await res.json()) as { id: string; dependsOnId: string | null }).id;
    };
    const parent = await make("parent");
    const child = await make("child", { dependsOnId: parent });
    const patch = (id: string, body: unknown) => api(`/api/v1/monitors/${id}`, admin, { method: "PATCH", body: JSON.stringify(body) });
    const self = await patch(parent, { dependsOnId: parent });
    expect(self.status).toBe(400);
    expect(((await self.json()) as { error: { message: string } }).error.message).toBe("dependsOnId: a monitor cannot depend on itself");
    const cycle = await patch(parent, { dependsOnId: child });
    expect(cycle.status).toBe(400);
    expect(((await cycle.json()) as { error: { message: string } }).error.message).toBe(`dependsOnId: that would make a cycle (child-${run} already depends on this monitor)`);
    expect((await patch(child, { dependsOnId: null })).status).toBe(200);

    const bad = await api("/api/v1/maintenance", admin, json({ name: "x", cron: "0 3 * * 0", durationMinutes: 60, all: true }));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/^timeZone: a recurring window needs timeZone/);
    const recurring = await api("/api/v1/maintenance", admin, json({ name: `weekly-${run}`, cron: "0 3 * * 0", durationMinutes: 60, timeZone: "Europe/Berlin", monitorIds: [parent] }));
    expect(recurring.status).toBe(201);
    expect(await recurring.json()).toMatchObject({ kind: "recurring", next: { startsAt: expect.any(String), endsAt: expect.any(String) } });
    expect((await api("/api/v1/maintenance", deployer, json({ name: "x", startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 60_000).toISOString(), all: true }))).status).toBe(403);
  });
});
