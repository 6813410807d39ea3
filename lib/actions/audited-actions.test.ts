import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import type { Principal } from "../auth/roles";
import { stopJobSender } from "../jobs/queues";
import { startSshd, type TestSshd } from "../../test/harness/sshd";
import { allAuditEventsAsText, expectOneAuditEvent, type ExpectedAuditEvent } from "../audit/testing";
import { recordAudit } from "../audit/record";
import { runAction } from "./core";
import { createAppAction, deleteAppAction, removeEnvVarAction, setEnvVarAction, updateAppAction } from "./apps";
import { cancelDeployAction, startDeployAction, startRollbackAction } from "./deploys";
import { createServerAction, deleteServerAction, pinHostKeyAction, updateServerAction, verifyServerAction } from "./servers";
import { createChannelAction, deleteChannelAction, updateChannelAction } from "./alerts";
import { createMonitorAction, deleteMonitorAction, pauseMonitorAction, resumeMonitorAction, updateMonitorAction } from "./monitors";

/**
 * Issue 5's list, for the rooms that came after the foundation: servers and keys, host-key pins, apps and
 * their secrets, deploys, rollbacks, cancels, monitors and channels — each writes exactly one event with
 * the right actor, target and outcome, and no secret value appears in any event.
 */
const meta = { ip: "198.51.100.9", userAgent: "vitest-audited" };
const SECRET_VALUE = "s3cret-db-password-Qx81";
const WEBHOOK = "http://127.0.0.1:9/hooks/T000/B000/secret-webhook-token";
let admin: Extract<Principal, { kind: "user" }>;
let deployer: Extract<Principal, { kind: "user" }>;
let sshd: TestSshd;
const ids: Record<string, string> = {};

beforeAll(async () => {
  sshd = await startSshd();
  const a = await db().user.create({ data: { email: "root-admin@example.test", passwordHash: "x", role: "admin" } });
  const d = await db().user.create({ data: { email: "dep@example.test", passwordHash: "x", role: "deployer" } });
  admin = { kind: "user", id: a.id, email: a.email, name: null, role: "admin" };
  deployer = { kind: "user", id: d.id, email: d.email, name: null, role: "deployer" };
});

afterAll(async () => {
  await stopJobSender();
  await sshd?.stop();
});

const by = (p: Extract<Principal, { kind: "user" }>) => ({ actorType: "user" as const, actorId: p.id, actorLabel: p.email, actorRole: p.role, ip: meta.ip });

interface Case {
  name: string;
  run: () => Promise<unknown>;
  expected: (result: unknown) => ExpectedAuditEvent;
}

const id = (r: unknown) => (r as { id: string }).id;

const cases: Case[] = [
  {
    name: "server added (with a generated key)",
    run: () => runAction(createServerAction, admin, { name: "web-1", host: sshd.host, port: sshd.port, username: sshd.username, generateKey: true }, meta),
    expected: (r) => ({ action: "server.create", outcome: "success", ...by(admin), targetType: "server", targetId: id(r), targetName: "web-1", summary: { keyGenerated: true } }),
  },
  {
    name: "server edited (key replaced)",
    run: () => runAction(updateServerAction, admin, { serverId: ids.server, privateKey: sshd.privateKey }, meta),
    expected: () => ({ action: "server.update", outcome: "success", ...by(admin), targetType: "server", targetId: ids.server }),
  },
  {
    name: "server verified (names the server, by id and name)",
    run: () => runAction(verifyServerAction, admin, { serverId: ids.server }, meta),
    expected: () => ({ action: "server.verify", outcome: "success", ...by(admin), targetType: "server", targetId: ids.server, targetName: "web-1", summary: { result: "unpinned" } }),
  },
  {
    name: "verify of an unknown server fails, naming the id asked for",
    run: () => runAction(verifyServerAction, admin, { serverId: "no-such-server" }, meta),
    expected: () => ({ action: "server.verify", outcome: "failure", targetType: "server", targetId: "no-such-server" }),
  },
  {
    name: "invalid input is refused, naming what it was about",
    run: () => runAction(updateServerAction, admin, { serverId: ids.server, port: 70000 }, meta),
    expected: () => ({ action: "server.update", outcome: "failure", targetType: "server", targetId: ids.server }),
  },
  {
    name: "host key pinned",
    run: () => runAction(pinHostKeyAction, admin, { serverId: ids.server, fingerprint: sshd.hostKeyFingerprint }, meta),
    expected: () => ({ action: "server.pin_host_key", outcome: "success", ...by(admin), targetId: ids.server, summary: { repin: false, after: { hostKey: sshd.hostKeyFingerprint } } }),
  },
  {
    name: "host key re-pinned",
    run: () => runAction(pinHostKeyAction, admin, { serverId: ids.server, fingerprint: "SHA256:" + "A".repeat(43) }, meta),
    expected: () => ({ action: "server.pin_host_key", outcome: "success", targetId: ids.server, summary: { repin: true } }),
  },
  {
    name: "app created with a secret (name only in the event)",
    run: () => runAction(createAppAction, admin, { name: "shop", repoUrl: "/srv/shop.git", deployPath: "/srv/shop", serverIds: [ids.server], env: { DATABASE_PASSWORD: SECRET_VALUE } }, meta),
    expected: (r) => ({ action: "app.create", outcome: "success", ...by(admin), targetType: "app", targetId: id(r), targetName: "shop", summary: { variables: ["DATABASE_PASSWORD"] } }),
  },
  {
    name: "app edited: secret removed, another set",
    run: () => runAction(updateAppAction, admin, { appId: ids.app, env: { API_TOKEN: SECRET_VALUE } }, meta),
    expected: () => ({ action: "app.update", outcome: "success", targetId: ids.app, summary: { before: { variables: ["DATABASE_PASSWORD"] }, after: { variables: ["API_TOKEN"] } } }),
  },
  {
    name: "one variable set (its name only in the event)",
    run: () => runAction(setEnvVarAction, admin, { appId: ids.app, key: "DATABASE_URL", value: SECRET_VALUE }, meta),
    expected: () => ({ action: "app.env.set", outcome: "success", ...by(admin), targetType: "app", targetId: ids.app, targetName: "shop", summary: { variable: "DATABASE_URL", created: true } }),
  },
  {
    name: "one variable removed",
    run: () => runAction(removeEnvVarAction, admin, { appId: ids.app, key: "DATABASE_URL" }, meta),
    expected: () => ({ action: "app.env.remove", outcome: "success", targetId: ids.app, summary: { variable: "DATABASE_URL" } }),
  },
  {
    name: "deploy started",
    run: () => runAction(startDeployAction, deployer, { appId: ids.app, ref: "main" }, meta),
    expected: (r) => ({ action: "deploy.start", outcome: "success", ...by(deployer), targetType: "deploy", targetId: id(r), targetName: "shop", summary: { appId: ids.app, ref: "main" } }),
  },
  {
    name: "deploy refused while locked (409)",
    run: () => runAction(startDeployAction, deployer, { appId: ids.app, ref: "main" }, meta),
    // The refusal names the app it refused, though no deploy was made.
    expected: () => ({ action: "deploy.start", outcome: "failure", ...by(deployer), targetType: "app", targetId: ids.app, summary: { error: expect.stringContaining("locked") } }),
  },
  {
    name: "deploy cancelled",
    run: () => runAction(cancelDeployAction, deployer, { deployId: ids.deploy }, meta),
    expected: () => ({ action: "deploy.cancel", outcome: "success", ...by(deployer), targetType: "deploy", targetId: ids.deploy }),
  },
  {
    name: "rollback started",
    run: () => runAction(startRollbackAction, deployer, { appId: ids.app, releaseId: ids.release }, meta),
    expected: (r) => ({ action: "rollback.start", outcome: "success", ...by(deployer), targetType: "deploy", targetId: id(r), summary: { releaseId: ids.release } }),
  },
  {
    name: "app delete refused while a rollback is queued (409)",
    run: () => runAction(deleteAppAction, admin, { appId: ids.app, removeReleases: true }, meta),
    expected: () => ({ action: "app.delete", outcome: "failure", ...by(admin), targetType: "app", targetId: ids.app, summary: { deleted: false, error: expect.stringContaining("cannot be deleted while a rollback") } }),
  },
  {
    name: "a viewer-level refusal: deployer tries an admin action (403)",
    run: () => runAction(deleteServerAction, deployer, { serverId: ids.server }, meta),
    expected: () => ({ action: "server.delete", outcome: "denied", ...by(deployer), targetType: "server", targetId: ids.server }),
  },
  {
    name: "monitor created",
    run: () => runAction(createMonitorAction, admin, { name: "api up", type: "tcp", host: "127.0.0.1", port: sshd.port, intervalSeconds: 60, timeoutSeconds: 5, retries: 0 }, meta),
    expected: (r) => ({ action: "monitor.create", outcome: "success", ...by(admin), targetType: "monitor", targetId: id(r) }),
  },
  {
    name: "monitor edited",
    run: () => runAction(updateMonitorAction, admin, { id: ids.monitor, intervalSeconds: 120 }, meta),
    expected: () => ({ action: "monitor.update", outcome: "success", targetId: ids.monitor }),
  },
  { name: "monitor paused", run: () => runAction(pauseMonitorAction, admin, { id: ids.monitor }, meta), expected: () => ({ action: "monitor.pause", outcome: "success", targetId: ids.monitor }) },
  { name: "monitor resumed", run: () => runAction(resumeMonitorAction, admin, { id: ids.monitor }, meta), expected: () => ({ action: "monitor.resume", outcome: "success", targetId: ids.monitor }) },
  { name: "monitor deleted", run: () => runAction(deleteMonitorAction, admin, { id: ids.monitor }, meta), expected: () => ({ action: "monitor.delete", outcome: "success", targetId: ids.monitor }) },
  {
    name: "notification channel added (webhook URL never in the event)",
    run: () => runAction(createChannelAction, admin, { name: "ops", type: "slack", url: WEBHOOK }, meta),
    expected: (r) => ({ action: "notification_channel.create", outcome: "success", ...by(admin), targetId: id(r) }),
  },
  {
    name: "notification channel changed",
    run: () => runAction(updateChannelAction, admin, { id: ids.channel, enabled: false }, meta),
    expected: () => ({ action: "notification_channel.update", outcome: "success", targetId: ids.channel }),
  },
  {
    name: "notification channel removed",
    run: () => runAction(deleteChannelAction, admin, { id: ids.channel }, meta),
    expected: () => ({ action: "notification_channel.delete", outcome: "success", targetId: ids.channel }),
  },
  {
    name: "app delete with its releases refused: the server's host key does not match (502), naming the server",
    run: async () => {
      await db().deploy.updateMany({ where: { appId: ids.app, status: { in: ["queued", "running"] } }, data: { status: "cancelled", finishedAt: new Date() } });
      return runAction(deleteAppAction, admin, { appId: ids.app, removeReleases: true }, meta);
    },
    expected: () => ({
      action: "app.delete",
      outcome: "failure",
      targetType: "app",
      targetId: ids.app,
      summary: { deleted: false, servers: [{ server: "web-1", removed: false, error: expect.stringContaining("host key of web-1 changed") }], error: expect.stringContaining("The app was not deleted") },
    }),
  },
  {
    name: "app deleted (its files left on the servers)",
    run: () => runAction(deleteAppAction, admin, { appId: ids.app }, meta),
    expected: () => ({ action: "app.delete", outcome: "success", ...by(admin), targetType: "app", targetId: ids.app, targetName: "shop", summary: { deleted: true, removeReleases: false, targets: ["web-1"] } }),
  },
  {
    name: "server removed",
    run: async () => {
      await db().appTarget.deleteMany({ where: { serverId: ids.server } });
      return runAction(deleteServerAction, admin, { serverId: ids.server }, meta);
    },
    expected: () => ({ action: "server.delete", outcome: "success", ...by(admin), targetId: ids.server, targetName: "web-1" }),
  },
];

/** What later cases need from earlier ones. */
async function remember(name: string, result: unknown): Promise<void> {
  if (name.startsWith("server added")) ids.server = id(result);
  if (name.startsWith("app created")) ids.app = id(result);
  if (name === "deploy started") ids.deploy = id(result);
  if (name === "deploy cancelled") {
    // A successful earlier release to roll back to.
    const release = await db().release.create({ data: { appId: ids.app!, commit: "a".repeat(40), dir: "20260101000000-aaaaaaa", status: "succeeded" } });
    ids.release = release.id;
  }
  if (name === "monitor created") ids.monitor = id(result);
  if (name.startsWith("notification channel added")) ids.channel = id(result);
}

describe("every action of the deploy and health rooms writes exactly one audit event", () => {
  for (const c of cases) {
    it(c.name, async () => {
      const { result } = await expectOneAuditEvent(c.run, c.expected);
      await remember(c.name, result);
    });
  }

  it("every event names its target: a type, and an id or a name", async () => {
    const events = await db().auditEvent.findMany({ select: { id: true, action: true, outcome: true, targetType: true, targetId: true, targetName: true } });
    expect(events.length).toBeGreaterThan(20);
    expect(events.filter((e) => !e.targetType || !(e.targetId || e.targetName))).toEqual([]);
  });

  it("an event without a target is refused at run time", async () => {
    const unnamed = { type: "server", id: null, name: null };
    await expect(db().$transaction((tx) => recordAudit(tx, { actor: admin, meta, action: "server.update", outcome: "success", target: unnamed }))).rejects.toThrow(/names no target/);
  });

  it("no secret value, private key or webhook URL appears in any event", async () => {
    const text = await allAuditEventsAsText();
    expect(text).not.toContain(SECRET_VALUE);
    expect(text).not.toContain("secret-webhook-token");
    expect(text).not.toContain("PRIVATE KEY");
    expect(text).not.toContain(sshd.privateKey.split("\n")[1]!);
  });
});
