import { monitorChannelIds } from "../alerts/routing";
import { db } from "../db/client";
import { NotFoundError, ValidationError } from "../errors";
import { monitorsInMaintenance } from "../health/maintenance";
import { monitorPublicSelect } from "../health/monitors";
import { getRolledThrough } from "../health/rollups";
import { DAY_MS, HOUR_MS, UNIT_MS, type BucketUnit } from "../health/time";
import { env } from "../env";
import { chooseChartSource, RAW_POINT_LIMIT } from "./chart-source";
import { targetOf } from "./monitor-target";
import { daysLeft } from "../health/tls";
import type { CheckFacts } from "../health/checkers/types";
import { loadDegradedRuns } from "./degraded";
import { checksBetween, countChecksBetween, latestChecks } from "./raw-checks";
import { countWindow, loadSeries, uptimePercent, type SeriesPoint } from "./series";

export const UPTIME_WINDOWS = { "24h": DAY_MS, "7d": 7 * DAY_MS, "30d": 30 * DAY_MS, "90d": 90 * DAY_MS } as const;
export type UptimeWindow = keyof typeof UPTIME_WINDOWS;

/** Chart ranges and the bucket each reads: enough points to see a shape, few enough to draw at once. */
export const CHART_RANGES = {
  "1h": { ms: HOUR_MS, bucket: "minute" },
  "24h": { ms: DAY_MS, bucket: "hour" },
  "7d": { ms: 7 * DAY_MS, bucket: "hour" },
  "30d": { ms: 30 * DAY_MS, bucket: "hour" },
  "90d": { ms: 90 * DAY_MS, bucket: "day" },
} as const satisfies Record<string, { ms: number; bucket: BucketUnit }>;
export type ChartRange = keyof typeof CHART_RANGES;
const MAX_SERIES_POINTS = 10_000;

const STATUS_ORDER: Record<string, number> = { down: 0, degraded: 1, pending: 2, up: 3, paused: 4 };

/** Days the monitor's last-seen certificate has left (null: none seen). */
const certDaysLeft = (notAfter: Date | null, now = new Date()) => (notAfter ? daysLeft(notAfter, now) : null);

/** GET /api/v1/monitors. */
export async function listMonitors(): Promise<MonitorListRow[]> {
  const rows = await db().monitor.findMany({
    select: { ...monitorPublicSelect, server: { select: { name: true } } },
    orderBy: { name: "asc" },
  });
  const maintenance = await monitorsInMaintenance(db(), rows);
  return rows.map(({ server, ...m }) => ({
    id: m.id,
    name: m.name,
    type: m.type,
    status: m.status,
    lastCheckedAt: m.lastCheckedAt?.getTime() ?? null,
    target: targetOf({ ...m, server }),
    intervalSeconds: m.intervalSeconds,
    appId: m.appId,
    isAppHealth: m.isAppHealth,
    inMaintenance: maintenance.has(m.id),
  }));
}

export interface MonitorListRow {
  id: string;
  name: string;
  type: string;
  status: string;
  lastCheckedAt: number | null;
  target: string;
  intervalSeconds: number;
  appId: string | null;
  isAppHealth: boolean;
  /** A maintenance window covers it now: it shows "maintenance" (its status is kept underneath). */
  inMaintenance: boolean;
}

export async function getMonitor(id: string) {
  const m = await db().monitor.findUnique({
    where: { id },
    select: { ...monitorPublicSelect, app: { select: { id: true, name: true } }, server: { select: { id: true, name: true } } },
  });
  if (!m) throw new NotFoundError("Monitor");
  const [channelIds, maintenance] = await Promise.all([monitorChannelIds(db(), id), monitorsInMaintenance(db(), [m])]);
  const ms = (d: Date | null) => d?.getTime() ?? null;
  const cert = { certNotAfter: ms(m.certNotAfter), certDaysLeft: certDaysLeft(m.certNotAfter) };
  return { ...m, inMaintenance: maintenance.has(id), lastCheckedAt: ms(m.lastCheckedAt), nextRunAt: m.nextRunAt.getTime(), createdAt: m.createdAt.getTime(), lastBeatAt: ms(m.lastBeatAt), ...cert, target: targetOf(m), channelIds };
}
export type MonitorView = Awaited<ReturnType<typeof getMonitor>>;

async function assertMonitorExists(id: string) {
  if (!(await db().monitor.findUnique({ where: { id }, select: { id: true } }))) throw new NotFoundError("Monitor");
}

export interface UptimeFigure {
  window: UptimeWindow;
  uptimePercent: number | null;
  checks: number;
  failures: number;
}

/** Uptime over the last 24 h / 7 d / 30 d / 90 d: null percent when there were no checks. */
export async function getMonitorUptime(id: string, window: UptimeWindow, now = new Date(), through?: Date | null): Promise<UptimeFigure> {
  const counts = (await countWindow(db(), { from: new Date(now.getTime() - UPTIME_WINDOWS[window]), to: now }, [id], through)).get(id) ?? { checks: 0, failures: 0 };
  return { window, uptimePercent: uptimePercent(counts), ...counts };
}

/** GET /api/v1/monitors/{id}/series. */
export async function getMonitorSeries(id: string, range: { from: Date; to: Date; bucket: BucketUnit }): Promise<{ points: SeriesPoint[] }> {
  if (range.to.getTime() <= range.from.getTime()) throw new ValidationError("to must be after from");
  if ((range.to.getTime() - range.from.getTime()) / UNIT_MS[range.bucket] > MAX_SERIES_POINTS) {
    throw new ValidationError(`that range has more than ${MAX_SERIES_POINTS} buckets: use a larger bucket`);
  }
  await assertMonitorExists(id);
  return { points: await loadSeries(db(), id, range) };
}

export interface OverviewRow {
  id: string;
  name: string;
  type: string;
  status: string;
  target: string;
  app: string | null;
  lastCheckedAt: number | null;
  uptime24h: number | null;
  uptime30d: number | null;
  /** Days left on the certificate its last check saw (HTTPS and certificate monitors); null: none seen. */
  certDaysLeft: number | null;
  /** The latest checks, oldest first. */
  sparkline: SparklinePoint[];
  /** A maintenance window covers it now: it shows "maintenance". */
  inMaintenance: boolean;
}

export interface SparklinePoint {
  t: number;
  /** Latency in ms (null for a failure without one). */
  ms: number | null;
  ok: boolean;
}

const SPARKLINE_CHECKS = 30;

/** Every monitor with status, 24 h and 30 d uptime and a latency sparkline; down ones first. */
export async function listMonitorOverview(now = new Date()): Promise<OverviewRow[]> {
  const client = db();
  const [monitors, through] = await Promise.all([
    client.monitor.findMany({
      select: {
        id: true,
        name: true,
        type: true,
        status: true,
        url: true,
        host: true,
        port: true,
        command: true,
        lastCheckedAt: true,
        certNotAfter: true,
        appId: true,
        app: { select: { name: true } },
        server: { select: { name: true } },
        intervalSeconds: true,
        graceSeconds: true,
        cron: true,
        cronTimeZone: true,
      },
    }),
    getRolledThrough(client),
  ]);
  if (monitors.length === 0) return [];
  const [day, month, recent, maintenance] = await Promise.all([
    countWindow(client, { from: new Date(now.getTime() - DAY_MS), to: now }, null, through),
    countWindow(client, { from: new Date(now.getTime() - 30 * DAY_MS), to: now }, null, through),
    client.$queryRaw<{ monitorId: string; at: Date; latencyMs: number | null; ok: boolean }[]>`
      SELECT m.id AS "monitorId", r.at, r."latencyMs", r.ok FROM "Monitor" m
      CROSS JOIN LATERAL (SELECT at, "latencyMs"::float8 AS "latencyMs", (flags & 1) <> 0 AS ok FROM "CheckResultData" c WHERE c."monitorSeq" = m.seq ORDER BY c.at DESC LIMIT ${SPARKLINE_CHECKS}) r`,
    monitorsInMaintenance(client, monitors, now),
  ]);
  const sparks = new Map<string, OverviewRow["sparkline"]>();
  for (const r of recent) {
    const list = sparks.get(r.monitorId) ?? [];
    list.push({ t: r.at.getTime(), ms: r.latencyMs === null ? null : Math.round(r.latencyMs * 10) / 10, ok: r.ok });
    sparks.set(r.monitorId, list);
  }
  return monitors
    .map((m) => ({
      id: m.id,
      name: m.name,
      type: m.type,
      status: m.status,
      target: targetOf(m),
      app: m.app?.name ?? null,
      lastCheckedAt: m.lastCheckedAt?.getTime() ?? null,
      uptime24h: uptimePercent(day.get(m.id)),
      uptime30d: uptimePercent(month.get(m.id)),
      certDaysLeft: certDaysLeft(m.certNotAfter, now),
      sparkline: (sparks.get(m.id) ?? []).sort((a, b) => a.t - b.t),
      inMaintenance: maintenance.has(m.id),
    }))
    .sort((a, b) => (STATUS_ORDER[a.status] ?? 9) - (STATUS_ORDER[b.status] ?? 9) || a.name.localeCompare(b.name));
}

export interface DeployMarker {
  id: string;
  t: number;
  kind: "deploy" | "rollback";
  status: string;
  actor: string;
  commit: string | null;
  release: string | null;
  /** The deploy window: started (or queued) to finished; null end while it runs. */
  start: number;
  end: number | null;
}

async function listDeployMarkers(appId: string | null, from: Date, to: Date): Promise<DeployMarker[]> {
  if (!appId) return [];
  const deploys = await db().deploy.findMany({
    where: { appId, createdAt: { lte: to }, OR: [{ finishedAt: null }, { finishedAt: { gte: from } }] },
    select: { id: true, kind: true, status: true, actorLabel: true, commit: true, createdAt: true, startedAt: true, finishedAt: true, release: { select: { commit: true, dir: true } } },
    orderBy: { createdAt: "asc" },
    take: 500,
  });
  return deploys
    .map((d) => ({
      id: d.id,
      t: (d.finishedAt ?? d.startedAt ?? d.createdAt).getTime(),
      kind: d.kind,
      status: d.status,
      actor: d.actorLabel,
      commit: d.release?.commit ?? d.commit,
      release: d.release?.dir ?? null,
      start: (d.startedAt ?? d.createdAt).getTime(),
      end: d.finishedAt?.getTime() ?? null,
    }))
    .filter((m) => m.t >= from.getTime() && m.t <= to.getTime());
}

/**
 * The chart's points: a young monitor's raw checks one by one (see chooseChartSource), else its buckets.
 * A raw point is one check: p50 = p95 = p99 = its latency when it succeeded.
 */
async function loadChartPoints(monitor: { id: string; createdAt: number }, range: { from: Date; to: Date; bucket: BucketUnit }, through: Date | null) {
  const client = db();
  const young = monitor.createdAt >= range.from.getTime();
  const rawChecks = young ? await countChecksBetween(client, monitor.id, range.from, range.to) : Infinity;
  const source = chooseChartSource({
    from: range.from.getTime(),
    now: range.to.getTime(),
    createdAt: monitor.createdAt,
    rawChecks,
    rawRetentionDays: env().DECKHAND_MONITOR_RAW_RETENTION_DAYS,
  });
  if (source === "bucket") return { source, points: await loadSeries(client, monitor.id, range, through) };
  const rows = await checksBetween(client, monitor.id, range.from, range.to, RAW_POINT_LIMIT);
  const points: SeriesPoint[] = rows.map((r) => {
    const ms = r.ok && r.latencyMs !== null ? Math.round(r.latencyMs * 10) / 10 : null;
    return { t: r.at.getTime(), checks: 1, failures: r.ok ? 0 : 1, p50: ms, p95: ms, p99: ms };
  });
  return { source, points };
}

/** Everything the monitor page shows, in one call: four uptime windows, the chart, recent checks, incidents, deploy markers. */
export async function getMonitorPage(id: string, range: ChartRange, now = new Date()) {
  const client = db();
  const monitor = await getMonitor(id);
  const { ms, bucket } = CHART_RANGES[range];
  const from = new Date(now.getTime() - ms);
  const through = await getRolledThrough(client);
  const [uptime, { source, points }, recentChecks, incidents, markers, degraded] = await Promise.all([
    Promise.all((Object.keys(UPTIME_WINDOWS) as UptimeWindow[]).map((w) => getMonitorUptime(id, w, now, through))),
    loadChartPoints(monitor, { from, to: now, bucket }, through),
    latestChecks(client, id, 90),
    client.incident.findMany({ where: { monitorId: id }, orderBy: { startedAt: "desc" }, take: 20 }),
    listDeployMarkers(monitor.appId, from, now),
    loadDegradedRuns(client, id, { from, to: now }),
  ]);
  const latest = recentChecks[0];
  return {
    monitor,
    uptime,
    lastCheck: latest ? { t: latest.at.getTime(), ok: latest.ok, degraded: latest.degraded, detail: latest.detail, facts: (latest.facts ?? null) as CheckFacts | null } : null,
    chart: { range, bucket, source, intervalSeconds: monitor.intervalSeconds, from: from.getTime(), to: now.getTime(), points, markers, degraded },
    recentChecks: recentChecks.reverse().map((c) => ({
      id: String(c.at.getTime()),
      t: c.at.getTime(),
      ok: c.ok,
      latencyMs: c.latencyMs === null ? null : Math.round(c.latencyMs * 10) / 10,
      detail: c.detail,
      inDeployWindow: c.inDeployWindow,
      degraded: c.degraded,
    })),
    incidents: incidents.map((i) => ({
      id: i.id,
      startedAt: i.startedAt.getTime(),
      endedAt: i.endedAt?.getTime() ?? null,
      durationSeconds: Math.round(((i.endedAt ?? now).getTime() - i.startedAt.getTime()) / 1000),
      cause: i.cause,
    })),
  };
}
export type MonitorPageData = Awaited<ReturnType<typeof getMonitorPage>>;
export type RecentCheck = MonitorPageData["recentChecks"][number];

/** Apps and servers a monitor can belong to / run on, and the channels its alerts can go to, for the forms. */
export async function listMonitorFormOptions() {
  const [apps, servers, channels, monitors] = await Promise.all([
    db().app.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } }),
    db().server.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } }),
    db().notificationChannel.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, type: true, isDefault: true, enabled: true } }),
    db().monitor.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } }),
  ]);
  return { apps, servers, channels, monitors };
}

export { getReleaseScorecard, type ScorecardRow } from "./scorecard";
