import { db } from "../db/client";
import { getStatusPage, listStatusPages, type StatusPageView } from "../status-pages/pages";
import { listIncidents, type IncidentView } from "../status-pages/incidents";
import { publicStatus, type PublicStatus } from "../status-pages/public";

export { monitorBadgeResponse, pageBadgeResponse, publicStatusJsonResponse } from "../status-pages/http";
export type { PublicStatus, StatusPageView, IncidentView };

/** GET /api/v1/status-pages and the settings page. */
export function listStatusPagesJson(): Promise<StatusPageView[]> {
  return listStatusPages(db());
}

/** GET /api/v1/status-pages/{id}: the page's settings, groups and incident history (with updates). */
export async function getStatusPageJson(id: string): Promise<StatusPageView & { incidents: IncidentView[] }> {
  const page = await getStatusPage(db(), id);
  return { ...page, incidents: await listIncidents(db(), id) };
}

/** /status/<slug>: the public page, from the per-process cache (null: no page has that slug). */
export function getPublicStatus(slug: string): Promise<PublicStatus | null> {
  return publicStatus(slug);
}

/** The settings page: every page with its incident history. */
export async function listStatusPagesWithIncidents(): Promise<(StatusPageView & { incidents: IncidentView[] })[]> {
  const pages = await listStatusPages(db());
  return Promise.all(pages.map(async (p) => ({ ...p, incidents: await listIncidents(db(), p.id) })));
}
