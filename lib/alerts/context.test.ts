import { afterAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { stopJobSender } from "../jobs/queues";
import { sealConfig } from "./config";
import { precedingDeploy, rollbackTarget } from "./context";
import { enqueueAlert, type AlertPayload } from "./deliveries";
import { renderAlert } from "./message";
import type { MonitorAlertPayload } from "./payload";

/** Which deploy an app's monitor alert names (real Postgres): the newest that ended in the 30 minutes before it. */
const at = new Date("2026-03-01T12:00:00.000Z");
const minutesBefore = (n: number) => new Date(at.getTime() - n * 60_000);

afterAll(() => stopJobSender());

async function appWithHistory(name: string) {
  const app = await db().app.create({ data: { name, repoUrl: "https://example.invalid/shop.git", deployPath: "/srv/shop" } });
  const old = await db().release.create({ data: { appId: app.id, commit: "0ff1ce0".padEnd(40, "0"), dir: "20260301T090000Z-0ff1ce0", status: "succeeded", createdAt: minutesBefore(180) } });
  const fresh = await db().release.create({ data: { appId: app.id, commit: "abc1234".padEnd(40, "f"), dir: "20260301T114000Z-abc1234", status: "succeeded", createdAt: minutesBefore(20) } });
  await db().deploy.create({ data: { appId: app.id, kind: "deploy", status: "succeeded", commit: old.commit, releaseId: old.id, actorLabel: "carol@example.com", createdAt: minutesBefore(181), finishedAt: minutesBefore(179) } });
  const recent = await db().deploy.create({
    data: { appId: app.id, kind: "deploy", status: "succeeded", commit: fresh.commit, releaseId: fresh.id, actorLabel: "alice@example.com", createdAt: minutesBefore(21), startedAt: minutesBefore(21), finishedAt: minutesBefore(18) },
  });
  return { app, old, fresh, recent };
}

describe("the deploy before a monitor's alert", () => {
  it("names the deploy that ended 18 minutes before (release, commit, who) and where a rollback would go", async () => {
    const { app, old, fresh, recent } = await appWithHistory("ctx-shop");
    const d = await precedingDeploy(db(), app.id, at);
    expect(d).toEqual({
      id: recent.id,
      kind: "deploy",
      status: "succeeded",
      appId: app.id,
      finishedAt: minutesBefore(18).toISOString(),
      release: fresh.dir,
      commit: fresh.commit,
      by: "alice@example.com",
      rollbackTo: { id: old.id, release: old.dir, commit: old.commit },
    });
    expect(await rollbackTarget(db(), app.id, null)).toMatchObject({ id: fresh.id });
  });

  it("names nothing when the last deploy ended more than 30 minutes before, or after the change", async () => {
    const { app } = await appWithHistory("ctx-quiet");
    expect(await precedingDeploy(db(), app.id, minutesBefore(-13))).toBeNull(); // 31 minutes after the deploy ended
    expect(await precedingDeploy(db(), app.id, minutesBefore(19))).toBeNull(); // before it ended; the older one ended 160 min before that
    expect(await precedingDeploy(db(), app.id, minutesBefore(-11))).not.toBeNull(); // 29 minutes after
  });

  it("a queued monitor alert carries it, and every provider's message says it with a link to roll back", async () => {
    const { app, recent, old } = await appWithHistory("ctx-routed");
    const monitor = await db().monitor.create({ data: { name: "checkout", type: "http", url: "http://127.0.0.1:1/health", appId: app.id } });
    const channel = await db().notificationChannel.create({ data: { name: "ctx-hook", type: "webhook", isDefault: true, encryptedConfig: sealConfig({ url: "http://127.0.0.1:1/hook", secret: "s".repeat(32) }) } });
    const alert: AlertPayload = {
      event: "monitor.down",
      monitor: { id: monitor.id, name: "checkout", type: "http", target: "http://127.0.0.1:1/health", app: app.name },
      at: at.toISOString(),
      detail: "HTTP 503",
      incident: { id: "inc-ctx", startedAt: minutesBefore(1).toISOString(), endedAt: null, durationSeconds: null },
    };
    expect(await db().$transaction((tx) => enqueueAlert(tx, alert))).toBe(1);
    const row = await db().notificationDelivery.findFirstOrThrow({ where: { channelId: channel.id } });
    const queued = row.payload as unknown as MonitorAlertPayload;
    expect(queued.precedingDeploy).toMatchObject({ id: recent.id, by: "alice@example.com", rollbackTo: { release: old.dir } });
    const m = renderAlert(queued, "https://deckhand.example.com");
    expect(m.facts).toContainEqual({ label: "Deploy before it", value: `deploy of release 20260301T114000Z-abc1234 (commit abc1234fffff) by alice@example.com, succeeded 18 min before (2026-03-01 11:42:00 UTC)` });
    expect(m.facts).toContainEqual({ label: "Since", value: "2026-03-01 11:59:00 UTC" });
    expect(m.links).toEqual([
      { label: "Open monitor", url: `https://deckhand.example.com/monitors/${monitor.id}` },
      { label: "Deploy before it", url: `https://deckhand.example.com/apps/${app.id}/deploys/${recent.id}` },
      { label: `Roll back to ${old.dir}`, url: `https://deckhand.example.com/apps/${app.id}#releases` },
    ]);
  });
});
