import { db, type Db, type Tx } from "../db/client";
import { upcomingMaintenanceFor } from "../health/maintenance";
import { getRolledThrough } from "../health/rollups";
import { DAY_MS } from "../health/time";
import { SingleFlightCache } from "./cache";
import { lastDays, loadDailyCounts, uptimeOf, type DayCount } from "./daily";
import { listIncidents, type IncidentView } from "./incidents";
import { slugSchema } from "./schemas";

/** How many daily bars a page shows, and the window `uptime90d` covers. */
export const UPTIME_DAYS = 90;
/** How long a built page is served before the database is read again (per process). */
export const PUBLIC_CACHE_MS = 5_000;

export type OverallStatus = "operational" | "partial_outage" | "major_outage" | "no_data";

export interface PublicMonitor {
  id: string;
  name: string;
  status: string;
  uptime90d: number | null;
  /** Only when the page's admin chose to show targets. */
  target?: string;
  days: DayCount[];
}

export interface MaintenanceView {
  id: string;
  name: string;
  startsAt: string;
  endsAt: string;
  /** The window is on now. */
  active: boolean;
}

export interface PublicStatus {
  slug: string;
  title: string;
  logoUrl: string | null;
  footer: string | null;
  status: OverallStatus;
  groups: { name: string; monitors: PublicMonitor[] }[];
  incidents: IncidentView[];
  maintenance: MaintenanceView[];
  /** When this answer was built, ISO 8601 (it is served from a cache for up to PUBLIC_CACHE_MS). */
  generatedAt: string;
}

/** Maintenance windows covering any of these monitors, now or in the next 14 days (lib/health/maintenance). */
async function maintenanceOf(client: Db | Tx, monitorIds: string[], now: Date): Promise<MaintenanceView[]> {
  const upcoming = await upcomingMaintenanceFor(monitorIds, { client, now });
  return upcoming.map((w) => ({ id: w.id, name: w.name, startsAt: w.startsAt, endsAt: w.endsAt, active: w.active }));
}

function targetOf(m: { type: string; url: string | null; host: string | null; port: number | null; server: { name: string } | null }): string {
  if (m.type === "http") return m.url ?? "";
  if (m.type === "tcp") return `${m.host ?? ""}:${m.port ?? ""}`;
  return m.server?.name ?? "";
}

export function overallOf(statuses: string[]): OverallStatus {
  const counted = statuses.filter((s) => s === "up" || s === "down");
  if (counted.length === 0) return "no_data";
  const down = counted.filter((s) => s === "down").length;
  return down === 0 ? "operational" : down === counted.length ? "major_outage" : "partial_outage";
}

const monitorSelect = { id: true, name: true, status: true, type: true, url: true, host: true, port: true, server: { select: { name: true } } } as const;

/** One page as the public sees it, straight from the database (null: no page has that slug). */
export async function buildPublicStatus(client: Db | Tx, slug: string, now = new Date()): Promise<PublicStatus | null> {
  const page = await client.statusPage.findUnique({
    where: { slug },
    include: { groups: { orderBy: { position: "asc" }, include: { monitors: { orderBy: { position: "asc" }, include: { monitor: { select: monitorSelect } } } } } },
  });
  if (!page) return null;
  const ids = [...new Set(page.groups.flatMap((g) => g.monitors.map((m) => m.monitorId)))];
  const [through, incidents, maintenance] = await Promise.all([getRolledThrough(client), listIncidents(client, page.id, now), maintenanceOf(client, ids, now)]);
  const counts = await loadDailyCounts(client, ids, { from: new Date(now.getTime() - (UPTIME_DAYS - 1) * DAY_MS), to: now }, through);
  const groups = page.groups.map((g) => ({
    name: g.name,
    monitors: g.monitors.map(({ monitor: m, displayName }) => {
      const days = lastDays(counts.get(m.id) ?? [], now.getTime(), UPTIME_DAYS);
      return { id: m.id, name: displayName ?? m.name, status: m.status, uptime90d: uptimeOf(days), ...(page.showTargets ? { target: targetOf(m) } : {}), days };
    }),
  }));
  const status = overallOf(groups.flatMap((g) => g.monitors.map((m) => m.status)));
  return { slug: page.slug, title: page.title, logoUrl: page.logoUrl, footer: page.footer, status, groups, incidents, maintenance, generatedAt: now.toISOString() };
}

interface Caches {
  pages: SingleFlightCache<PublicStatus | null>;
  monitorBadges: SingleFlightCache<MonitorBadgeData | null>;
}
/**
 * One pair of caches per process, on globalThis: the web server's fast path (lib/status-pages/fast-path.ts)
 * and Next's bundled copy of this module are two module instances, and an admin's change (made through
 * Next) must clear what both serve.
 */
const shared = globalThis as typeof globalThis & { __deckhandStatusCaches?: Caches };
const caches: Caches = (shared.__deckhandStatusCaches ??= { pages: new SingleFlightCache(PUBLIC_CACHE_MS), monitorBadges: new SingleFlightCache(PUBLIC_CACHE_MS) });
const { pages, monitorBadges } = caches;

/** The page from the cache: a crowd asking at once causes one database read per slug per PUBLIC_CACHE_MS. */
export function publicStatus(slug: string): Promise<PublicStatus | null> {
  // An address that cannot be a slug is not looked up, and takes no room in the cache.
  if (!slugSchema.safeParse(slug).success) return Promise.resolve(null);
  return pages.get(slug, () => buildPublicStatus(db(), slug));
}

/** After an admin's change, the next visitor sees it at once (in this process; others within PUBLIC_CACHE_MS). */
export function forgetPublicStatus(...slugs: string[]): void {
  for (const s of slugs) pages.delete(s);
  monitorBadges.clear();
}

export interface MonitorBadgeData {
  name: string;
  status: string;
  uptime90d: number | null;
}

/** A monitor on at least one page, under its first page's display name; null when it is on none. */
async function buildMonitorBadge(client: Db | Tx, monitorId: string, now = new Date()): Promise<MonitorBadgeData | null> {
  const entry = await client.statusPageMonitor.findFirst({ where: { monitorId }, orderBy: { group: { page: { createdAt: "asc" } } }, include: { monitor: { select: { name: true, status: true } } } });
  if (!entry) return null;
  const through = await getRolledThrough(client);
  const counts = await loadDailyCounts(client, [monitorId], { from: new Date(now.getTime() - (UPTIME_DAYS - 1) * DAY_MS), to: now }, through);
  return { name: entry.displayName ?? entry.monitor.name, status: entry.monitor.status, uptime90d: uptimeOf(lastDays(counts.get(monitorId) ?? [], now.getTime(), UPTIME_DAYS)) };
}

export function publicMonitorBadge(monitorId: string): Promise<MonitorBadgeData | null> {
  return monitorBadges.get(monitorId, () => buildMonitorBadge(db(), monitorId));
}
