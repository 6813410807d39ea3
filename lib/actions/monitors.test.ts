import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { decryptSecret } from "../crypto/secretbox";
import type { Principal } from "../auth/roles";
import { AppError } from "../errors";
import { reconcileAppHealthMonitors, syncAppHealthMonitor } from "../health/monitors";
import { listNotificationChannels } from "../queries/notification-channels";
import { runAction } from "./core";
import { createChannelAction, testChannelAction } from "./alerts";
import { createMonitorAction, deleteMonitorAction, pauseMonitorAction, resumeMonitorAction, updateMonitorAction, updateNetworkPolicyAction } from "./monitors";

const meta = { ip: "127.0.0.1", userAgent: "vitest" };
const admin: Principal = { kind: "user", id: "u-admin", email: "admin@example.test", name: null, role: "admin" };
const viewer: Principal = { kind: "user", id: "u-viewer", email: "viewer@example.test", name: null, role: "viewer" };

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("expected the action to fail");
}

beforeEach(async () => {
  await db().monitor.deleteMany();
  await db().notificationChannel.deleteMany();
  await db().setting.deleteMany({ where: { key: "health.network" } });
});

describe("monitor.create", () => {
  it("creates an HTTP monitor with defaults, pending and due now, and audits it", async () => {
    const m = await runAction(createMonitorAction, admin, { name: "api", type: "http", url: "http://127.0.0.1:8080/health", intervalSeconds: 30 }, meta);
    expect(m).toMatchObject({ name: "api", type: "http", status: "pending", method: "GET", expectedStatus: "200-399", timeoutSeconds: 10, retries: 0, intervalSeconds: 30 });
    expect(new Date(m.nextRunAt).getTime()).toBeLessThanOrEqual(Date.now());
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "monitor.create" }, orderBy: { id: "desc" } });
    expect(event).toMatchObject({ outcome: "success", targetId: m.id, actorLabel: "admin@example.test" });
  });

  it("accepts form strings for numbers and TCP and SSH shapes", async () => {
    const tcp = await runAction(createMonitorAction, admin, { name: "pg", type: "tcp", host: "localhost", port: "5432", intervalSeconds: "60", timeoutSeconds: "5", retries: "2" }, meta);
    expect(tcp).toMatchObject({ host: "localhost", port: 5432, retries: 2, url: null });
    // A field of another monitor type is not a field of this one (issue 12: unknown fields are refused).
    expect((await failure(runAction(createMonitorAction, admin, { name: "pg2", type: "tcp", host: "localhost", port: 5432, keyword: "" }, meta))).message).toBe('unknown field "keyword"');
    const err = await failure(runAction(createMonitorAction, admin, { name: "svc", type: "ssh", serverId: "nope", command: "systemctl is-active app" }, meta));
    expect(err.message).toBe("serverId: no such server");
  });

  it("is admin-only", async () => {
    const err = await failure(runAction(createMonitorAction, viewer, { name: "x", type: "tcp", host: "127.0.0.1", port: 1 }, meta));
    expect(err.status).toBe(403);
  });

  it.each([
    ["http://169.254.169.254/latest/meta-data/", "169.254.169.254"],
    ["http://[fd00:ec2::254]/", "fd00:ec2::254"],
    ["http://[::ffff:169.254.169.254]/", "::ffff:a9fe:a9fe"],
    ["http://100.100.100.200/", "100.100.100.200"],
  ])("refuses %s with a 400 that says why", async (url, shown) => {
    const err = await failure(runAction(createMonitorAction, admin, { name: "meta", type: "http", url }, meta));
    expect(err.status).toBe(400);
    expect(err.code).toBe("target_denied");
    expect(err.message).toContain(`Target ${shown} is refused`);
    expect(await db().monitor.count()).toBe(0);
  });

  it("refuses a TCP monitor on a link-local address", async () => {
    const err = await failure(runAction(createMonitorAction, admin, { name: "ll", type: "tcp", host: "169.254.10.10", port: 80 }, meta));
    expect(err.code).toBe("target_denied");
  });

  it.each([
    [{ name: "a", type: "http", url: "http://x.test/", intervalSeconds: 5 }, "intervalSeconds: interval must be at least 10"],
    [{ name: "a", type: "http", url: "http://x.test/", intervalSeconds: 90_000 }, "intervalSeconds: interval must be at most 86400"],
    [{ name: "a", type: "http", url: "http://x.test/", intervalSeconds: 10, timeoutSeconds: 20 }, "timeoutSeconds: timeout must not be longer than the interval"],
    [{ name: "a", type: "http", url: "ftp://x.test/" }, "url: must be an http:// or https:// URL"],
    [{ name: "a", type: "http", url: "http://x.test/", expectedStatus: "2xx" }, "expectedStatus: use codes and ranges such as 200-399 or 200,204"],
    [{ name: "a", type: "ping" }, 'type: type must be "http", "tcp", "ssh", "heartbeat" or "certificate"'],
  ])("validates %j", async (input, message) => {
    const err = await failure(runAction(createMonitorAction, admin, input, meta));
    expect(err.status).toBe(400);
    expect(err.message).toBe(message);
  });

  it("honours the admin network setting: denied ranges are refused, allowed ones let a default denial through", async () => {
    await runAction(updateNetworkPolicyAction, admin, { deny: "127.0.0.0/8", allow: "169.254.1.1/32" }, meta);
    const err = await failure(runAction(createMonitorAction, admin, { name: "lo", type: "tcp", host: "127.0.0.1", port: 22 }, meta));
    expect(err.message).toMatch(/denied by the health-check network setting/);
    await runAction(createMonitorAction, admin, { name: "ok", type: "tcp", host: "169.254.1.1", port: 22 }, meta);
    const bad = await failure(runAction(updateNetworkPolicyAction, admin, { deny: ["10.0.0.0/99"], allow: [] }, meta));
    expect(bad.message).toMatch(/CIDR/);
  });
});

describe("monitor.update / pause / resume / delete", () => {
  it("merges a partial change, resets state when the target changes, and validates the whole", async () => {
    const m = await runAction(createMonitorAction, admin, { name: "api", type: "http", url: "http://127.0.0.1:1/a", intervalSeconds: 60 }, meta);
    await db().monitor.update({ where: { id: m.id }, data: { status: "down", consecutiveFailures: 4 } });
    const renamed = await runAction(updateMonitorAction, admin, { id: m.id, name: "api v2" }, meta);
    expect(renamed).toMatchObject({ name: "api v2", status: "down", url: "http://127.0.0.1:1/a" });
    const moved = await runAction(updateMonitorAction, admin, { id: m.id, url: "http://127.0.0.1:1/b" }, meta);
    expect(moved).toMatchObject({ status: "pending", consecutiveFailures: 0, url: "http://127.0.0.1:1/b" });
    const err = await failure(runAction(updateMonitorAction, admin, { id: m.id, timeoutSeconds: 100 }, meta));
    expect(err.message).toBe("timeoutSeconds: timeout must not be longer than the interval");
    expect((await failure(runAction(updateMonitorAction, admin, { id: m.id, url: "http://169.254.169.254/" }, meta))).code).toBe("target_denied");
  });

  it("pauses (ending an open incident), resumes as pending, deletes", async () => {
    const m = await runAction(createMonitorAction, admin, { name: "api", type: "tcp", host: "127.0.0.1", port: 1 }, meta);
    await db().incident.create({ data: { monitorId: m.id, startedAt: new Date(Date.now() - 60_000) } });
    expect((await runAction(pauseMonitorAction, admin, { id: m.id }, meta)).status).toBe("paused");
    expect((await db().incident.findFirstOrThrow({ where: { monitorId: m.id } })).endedAt).not.toBeNull();
    expect((await runAction(resumeMonitorAction, admin, { id: m.id }, meta)).status).toBe("pending");
    await runAction(deleteMonitorAction, admin, { id: m.id }, meta);
    expect(await db().monitor.count()).toBe(0);
    expect((await failure(runAction(deleteMonitorAction, admin, { id: m.id }, meta))).status).toBe(404);
  });
});

describe("syncAppHealthMonitor", () => {
  it("creates, follows and removes an app's own health monitor", async () => {
    const app = await db().app.create({ data: { name: "shop", repoUrl: "https://example.invalid/shop.git", deployPath: "/srv/shop" } });
    const created = await db().$transaction((tx) => syncAppHealthMonitor(tx, { id: app.id, name: app.name, healthUrl: "http://127.0.0.1:3000/health" }));
    const m = await db().monitor.findUniqueOrThrow({ where: { id: created!.id } });
    expect(m).toMatchObject({ name: "shop health", type: "http", url: "http://127.0.0.1:3000/health", appId: app.id, isAppHealth: true, status: "pending" });

    await db().monitor.update({ where: { id: m.id }, data: { status: "up" } });
    await syncAppHealthMonitor(db(), { id: app.id, name: app.name, healthUrl: "http://127.0.0.1:3000/health" });
    expect((await db().monitor.findUniqueOrThrow({ where: { id: m.id } })).status).toBe("up");
    await syncAppHealthMonitor(db(), { id: app.id, name: "shop2", healthUrl: "http://127.0.0.1:3001/healthz" });
    expect(await db().monitor.findUniqueOrThrow({ where: { id: m.id } })).toMatchObject({ name: "shop2 health", url: "http://127.0.0.1:3001/healthz", status: "pending" });

    // Its URL belongs to the app; other settings can be tuned; it cannot be deleted on its own.
    expect((await failure(runAction(updateMonitorAction, admin, { id: m.id, url: "http://127.0.0.1:1/" }, meta))).message).toMatch(/change its URL on the app/);
    expect((await runAction(updateMonitorAction, admin, { id: m.id, intervalSeconds: 30 }, meta)).intervalSeconds).toBe(30);
    expect((await failure(runAction(deleteMonitorAction, admin, { id: m.id }, meta))).message).toMatch(/clear the app's health URL/);

    await expect(syncAppHealthMonitor(db(), { id: app.id, name: "shop2", healthUrl: "http://169.254.169.254/" })).rejects.toThrow(/refused/);
    expect(await syncAppHealthMonitor(db(), { id: app.id, name: "shop2", healthUrl: "" })).toBeNull();
    expect(await db().monitor.count({ where: { appId: app.id } })).toBe(0);
  });
});

describe("reconcileAppHealthMonitors", () => {
  it("gives every app with a health URL its monitor, however the app was saved", async () => {
    const mk = (name: string, healthUrl: string | null) => db().app.create({ data: { name, healthUrl, repoUrl: "https://example.invalid/x.git", deployPath: "/srv/x" } });
    const a = await mk("a", "http://127.0.0.1:3000/health");
    const b = await mk("b", null);
    const c = await mk("c", "http://169.254.169.254/");
    expect(await reconcileAppHealthMonitors(db())).toEqual({ created: 1, updated: 0, removed: 0, refused: ["c"] });
    expect(await db().monitor.findMany({ where: { isAppHealth: true }, select: { appId: true, url: true } })).toEqual([{ appId: a.id, url: "http://127.0.0.1:3000/health" }]);
    expect(await reconcileAppHealthMonitors(db())).toEqual({ created: 0, updated: 0, removed: 0, refused: ["c"] });
    await db().app.update({ where: { id: a.id }, data: { healthUrl: null } });
    await db().app.update({ where: { id: b.id }, data: { healthUrl: "http://127.0.0.1:4000/up" } });
    expect(await reconcileAppHealthMonitors(db())).toEqual({ created: 1, updated: 0, removed: 1, refused: ["c"] });
    expect((await db().monitor.findMany({ where: { isAppHealth: true }, select: { appId: true } })).map((m) => m.appId)).toEqual([b.id]);
    await db().app.deleteMany({ where: { id: { in: [a.id, b.id, c.id] } } });
  });

  it("keeps the app monitor's interval at the app's own value, or 60 s when it has none", async () => {
    const app = await db().app.create({ data: { name: "interval-app", healthUrl: "http://127.0.0.1:3000/health", repoUrl: "https://example.invalid/x.git", deployPath: "/srv/iv", monitorIntervalSeconds: 15 } });
    expect((await reconcileAppHealthMonitors(db())).created).toBe(1);
    const interval = async () => (await db().monitor.findFirstOrThrow({ where: { appId: app.id, isAppHealth: true } })).intervalSeconds;
    expect(await interval()).toBe(15);
    // Changed behind the form's back (a restore, the CLI): the safety net brings the monitor in step.
    await db().app.update({ where: { id: app.id }, data: { monitorIntervalSeconds: null } });
    expect((await reconcileAppHealthMonitors(db())).updated).toBe(1);
    expect(await interval()).toBe(60);
    expect((await reconcileAppHealthMonitors(db())).updated).toBe(0);
    await db().app.delete({ where: { id: app.id } });
  });
});

describe("notification channels", () => {
  it("stores the webhook URL encrypted and shows only its host", async () => {
    const url = "https://hooks.slack.example/services/T000/B000/very-secret";
    const c = await runAction(createChannelAction, admin, { name: "ops", type: "slack", url }, meta);
    // The answer names the channel's settings; its URL (the Slack credential) is write-only: only the host comes back.
    expect(c).toEqual({
      id: expect.any(String),
      name: "ops",
      type: "slack",
      enabled: true,
      isDefault: true,
      muted: false,
      mutedUntil: null,
      severities: ["down", "degraded", "recovered", "deploy_failed", "deploy_succeeded"],
      config: {},
      credentialsSet: ["url"],
      hint: "https://hooks.slack.example/…",
      createdAt: expect.any(Date),
      updatedAt: expect.any(Date),
    });
    const row = await db().notificationChannel.findUniqueOrThrow({ where: { id: c.id }, select: { encryptedConfig: true } });
    expect(row.encryptedConfig).not.toContain("very-secret");
    expect(JSON.parse(decryptSecret(row.encryptedConfig!))).toEqual({ url });
    expect((await listNotificationChannels())[0]!.urlHint).toBe("https://hooks.slack.example/…");
    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: "notification_channel.create" }, orderBy: { id: "desc" } });
    expect(JSON.stringify(audit.summary)).not.toContain("very-secret");
    await runAction(testChannelAction, admin, { id: c.id }, meta);
    expect(await db().notificationDelivery.count({ where: { channelId: c.id, event: "test" } })).toBe(1);
  });

  it("refuses a metadata webhook and a duplicate name", async () => {
    expect((await failure(runAction(createChannelAction, admin, { name: "m", type: "webhook", url: "http://169.254.169.254/x" }, meta))).code).toBe("target_denied");
    await runAction(createChannelAction, admin, { name: "dup", type: "webhook", url: "http://127.0.0.1:9/x" }, meta);
    expect((await failure(runAction(createChannelAction, admin, { name: "dup", type: "webhook", url: "http://127.0.0.1:9/y" }, meta))).status).toBe(409);
  });
});
