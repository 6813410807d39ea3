import { describe, expect, it } from "vitest";
import { db } from "../db/client";
import { listIncidents } from "../health/incidents";
import { incidentsAfterDeploy, withPrecedingDeploys } from "./deploy-incidents";

const min = 60_000;

describe("incidents linked to the deploy before them", () => {
  it("an incident within 30 minutes after a deploy ended links to it (the newest such), later ones and other apps' do not", async () => {
    const app = await db().app.create({ data: { name: "linked", repoUrl: "/r.git", deployPath: "/srv/linked" }, select: { id: true } });
    const other = await db().app.create({ data: { name: "other", repoUrl: "/r.git", deployPath: "/srv/other" }, select: { id: true } });
    const t0 = Date.now() - 120 * min;
    const at = (m: number) => new Date(t0 + m * min);
    const mk = (appId: string, finished: number) => db().deploy.create({ data: { appId, kind: "deploy", status: "succeeded", actorLabel: "alice", startedAt: at(finished - 1), finishedAt: at(finished) }, select: { id: true } });
    const first = await mk(app.id, 0);
    const second = await mk(app.id, 10);
    await mk(other.id, 5);
    const monitor = await db().monitor.create({ data: { name: "linked health", type: "http", url: "http://127.0.0.1:1/", appId: app.id }, select: { id: true } });
    const loose = await db().monitor.create({ data: { name: "no app", type: "http", url: "http://127.0.0.1:1/" }, select: { id: true } });
    const inc = (monitorId: string, start: number) => db().incident.create({ data: { monitorId, startedAt: at(start), endedAt: at(start + 1), cause: "HTTP 500" }, select: { id: true } });
    const early = await inc(monitor.id, 5); // after the first, before the second ended
    const late = await inc(monitor.id, 25); // 15 min after the second
    const stale = await inc(monitor.id, 50); // 40 min after the second: nothing
    await inc(loose.id, 12);

    const linked = await withPrecedingDeploys(await listIncidents({ limit: 100 }));
    const byId = new Map(linked.map((i) => [i.id, i.afterDeploy?.id ?? null]));
    expect(byId.get(early.id)).toBe(first.id);
    expect(byId.get(late.id)).toBe(second.id);
    expect(byId.get(stale.id)).toBeNull();
    expect(linked.filter((i) => i.monitorId === loose.id).map((i) => i.afterDeploy)).toEqual([null]);

    expect((await incidentsAfterDeploy(first.id)).map((i) => i.id)).toEqual([early.id]);
    expect((await incidentsAfterDeploy(second.id)).map((i) => i.id)).toEqual([late.id]);
  });
});
