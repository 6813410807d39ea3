import { describe, expect, it } from "vitest";
import { db } from "../db/client";
import { listWorkers, reportWorkerAlive } from "../jobs/presence";
import { startWorker } from "../worker/worker";
import { checkWorkers } from "./workers";

describe("doctor: workers", () => {
  it("warns when no worker has run, is OK while a real worker runs, and warns again once it stopped", async () => {
    expect(await checkWorkers(db())).toEqual({ name: "workers", status: "warn", detail: expect.stringMatching(/^no worker running \(start one: npm run worker\): none seen in the last hour/) });

    const worker = await startWorker(process.env.DATABASE_URL!);
    try {
      const r = await checkWorkers(db());
      expect(r).toEqual({ name: "workers", status: "ok", detail: `1 worker(s) running (${(await listWorkers(db()))[0]!.host} pid ${process.pid}); no deploy waiting, monitors on schedule` });
    } finally {
      await worker.stop();
    }
    // A stopped worker removes itself.
    expect(await listWorkers(db())).toEqual([]);
    expect((await checkWorkers(db())).status).toBe("warn");
  });

  it("names a worker that went silent (killed) and when it was last seen", async () => {
    await reportWorkerAlive(db(), "worker.box-a.4242", new Date());
    await db().$executeRaw`UPDATE "Setting" SET "updatedAt" = "updatedAt" - interval '5 minutes' WHERE key = 'worker.box-a.4242'`;
    const r = await checkWorkers(db());
    expect(r.status).toBe("warn");
    expect(r.detail).toMatch(/no worker running .*: the last one \(\S+ pid \d+\) was seen 5 min ago; deploys stay queued and monitors unchecked/);
    await db().setting.deleteMany({ where: { key: { startsWith: "worker." } } });
  });

  it("warns about waiting work even when a worker reports in: old queued deploys, overdue monitors", async () => {
    await reportWorkerAlive(db(), "worker.box-b.77", new Date());
    const app = await db().app.create({ data: { name: "shop", repoUrl: "https://example.invalid/x.git", deployPath: "/srv/x" } });
    await db().deploy.create({ data: { appId: app.id, kind: "deploy", ref: "main", actorLabel: "ci", createdAt: new Date(Date.now() - 3 * 60_000) } });
    await db().monitor.create({ data: { name: "late", type: "http", url: "http://127.0.0.1:1/", intervalSeconds: 30, nextRunAt: new Date(Date.now() - 5 * 60_000) } });
    // Due a moment ago: a slot one worker is about to run is not a backlog.
    await db().monitor.create({ data: { name: "due", type: "http", url: "http://127.0.0.1:1/", intervalSeconds: 30, nextRunAt: new Date(Date.now() - 5_000) } });
    const r = await checkWorkers(db());
    expect(r.status, r.detail).toBe("warn");
    expect(r.detail, r.detail).toMatch(/^1 worker\(s\) running \(\S+ pid \d+\), but work is waiting; 1 deploy\(s\) queued, the oldest 3 min ago, 1 monitor\(s\) overdue$/);
  });
});
