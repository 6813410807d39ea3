import { db } from "../db/client";
import { getRolledThrough } from "../health/rollups";
import { DAY_MS, HOUR_MS } from "../health/time";
import { monitorsInMaintenance } from "../health/maintenance";
import { listApps, type AppListRow } from "./apps";
import { loadHourlyCounts, uptimePercent } from "./series";

export async function getOverviewCounts() {
  const client = db();
  const [apps, servers, monitors, deploys] = await Promise.all([client.app.count(), client.server.count(), client.monitor.count(), client.deploy.count()]);
  return { apps, servers, monitors, deploys };
}

export interface UptimeHour {
  /** The hour's start, epoch ms. */
  t: number;
  checks: number;
  failures: number;
}

export interface AppOverviewRow extends AppListRow {
  /** The app's health monitor (the one its health URL made), or null when it has none. */
  health: { monitorId: string; status: string; inMaintenance: boolean; uptime24h: number | null; hours: UptimeHour[] } | null;
}

/** The 24 hours ending now, oldest first, each with its counts (zero where nothing was checked). */
export function last24Hours(counts: { t: number; checks: number; failures: number }[], now: number): UptimeHour[] {
  const first = Math.floor(now / HOUR_MS) * HOUR_MS - 23 * HOUR_MS;
  const byHour = new Map(counts.map((c) => [c.t, c]));
  return Array.from({ length: 24 }, (_, i) => {
    const t = first + i * HOUR_MS;
    const c = byHour.get(t);
    return { t, checks: c?.checks ?? 0, failures: c?.failures ?? 0 };
  });
}

/**
 * Per app: what is live, the last deploy, and its health monitor's status and last 24 h by the hour.
 * Three statements however many apps there are: the apps (listApps), their health monitors, the hours.
 */
export async function listAppOverview(now = new Date()): Promise<AppOverviewRow[]> {
  const client = db();
  const [apps, monitors, through] = await Promise.all([
    listApps(),
    client.monitor.findMany({ where: { isAppHealth: true, appId: { not: null } }, select: { id: true, appId: true, status: true }, orderBy: { createdAt: "asc" } }),
    getRolledThrough(client),
  ]);
  const monitorOf = new Map<string, (typeof monitors)[number]>();
  for (const m of monitors) if (m.appId && !monitorOf.has(m.appId)) monitorOf.set(m.appId, m);
  const ids = [...monitorOf.values()].map((m) => m.id);
  const [counts, maintenance] = await Promise.all([loadHourlyCounts(client, ids, { from: new Date(now.getTime() - DAY_MS + HOUR_MS), to: now }, through), monitorsInMaintenance(client, [...monitorOf.values()], now)]);
  const perMonitor = new Map<string, typeof counts>();
  for (const c of counts) perMonitor.set(c.monitorId, [...(perMonitor.get(c.monitorId) ?? []), c]);
  return apps.map((a) => {
    const m = monitorOf.get(a.id);
    if (!m) return { ...a, health: null };
    const hours = last24Hours(perMonitor.get(m.id) ?? [], now.getTime());
    const total = hours.reduce((s, h) => ({ checks: s.checks + h.checks, failures: s.failures + h.failures }), { checks: 0, failures: 0 });
    return { ...a, health: { monitorId: m.id, status: m.status, inMaintenance: maintenance.has(m.id), uptime24h: uptimePercent(total), hours } };
  });
}
