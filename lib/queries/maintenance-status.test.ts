import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { createMaintenance, maintenanceInputSchema } from "../health/maintenance";
import { listMonitorOverview, listMonitors } from "./monitors";
import { listAppOverview } from "./overview";

/** A monitor a maintenance window covers now shows "maintenance" in the API list, the monitors table and the overview's app cards. */
beforeEach(async () => {
  await db().maintenanceWindow.deleteMany();
  await db().monitor.deleteMany();
  await db().app.deleteMany();
});

describe("maintenance on the lists", () => {
  it("marks the covered monitors (directly or through their app) and only while the window is open", async () => {
    const shop = await db().app.create({ data: { name: "shop", repoUrl: "https://example.invalid/x.git", deployPath: "/srv/x" } });
    const health = await db().monitor.create({ data: { name: "shop health", type: "http", url: "http://127.0.0.1:9/h", appId: shop.id, isAppHealth: true, status: "down" } });
    const direct = await db().monitor.create({ data: { name: "api", type: "http", url: "http://127.0.0.1:9/a", status: "up" } });
    const other = await db().monitor.create({ data: { name: "other", type: "http", url: "http://127.0.0.1:9/o", status: "up" } });
    const now = new Date();
    const around = { startsAt: new Date(now.getTime() - 60_000).toISOString(), endsAt: new Date(now.getTime() + 600_000).toISOString() };
    await createMaintenance(db(), maintenanceInputSchema.parse({ name: "app", ...around, appIds: [shop.id] }), "admin@example.com");
    await createMaintenance(db(), maintenanceInputSchema.parse({ name: "one", ...around, monitorIds: [direct.id] }), "admin@example.com");

    const flags = (rows: { id: string; inMaintenance: boolean }[]) => Object.fromEntries(rows.map((r) => [r.id, r.inMaintenance]));
    const expected = { [health.id]: true, [direct.id]: true, [other.id]: false };
    expect(flags(await listMonitors())).toEqual(expected);
    const overview = await listMonitorOverview(now);
    expect(flags(overview)).toEqual(expected);
    expect(overview.find((r) => r.id === health.id)!.status).toBe("down");
    expect((await listAppOverview(now)).find((a) => a.id === shop.id)!.health).toMatchObject({ monitorId: health.id, status: "down", inMaintenance: true });

    const later = new Date(now.getTime() + 3_600_000);
    expect(flags(await listMonitorOverview(later))).toEqual({ [health.id]: false, [direct.id]: false, [other.id]: false });
    expect((await listAppOverview(later)).find((a) => a.id === shop.id)!.health!.inMaintenance).toBe(false);
  });
});
