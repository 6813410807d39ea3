import { z } from "zod";
import { badgeSvg, statusColor, statusWord, svgResponse } from "./badge";
import { PUBLIC_CACHE_MS, publicMonitorBadge, publicStatus, type PublicStatus } from "./public";
import { slugSchema } from "./schemas";

/** The open routes under /api/public: no sign-in, answers from the per-process cache. */

const monitorIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);

const cacheHeaders = { "cache-control": `public, max-age=${PUBLIC_CACHE_MS / 1000}` };

function notFound(message: string): Response {
  return Response.json({ error: { code: "not_found", message } }, { status: 404, headers: { "cache-control": "no-store" } });
}

function unknownPage(slug: string): Response {
  return notFound(`No status page is at /status/${slug.slice(0, 64)}: check the address (slugs are lowercase, as in /status/acme)`);
}

/** What GET /api/public/status/{slug} answers: the page without its daily bars (those are for the page itself). */
export function publicJsonOf(s: PublicStatus) {
  return {
    slug: s.slug,
    title: s.title,
    status: s.status,
    groups: s.groups.map((g) => ({ name: g.name, monitors: g.monitors.map(({ days: _days, ...m }) => m) })),
    incidents: s.incidents,
    maintenance: s.maintenance,
    generatedAt: s.generatedAt,
  };
}

export async function publicStatusJsonResponse(rawSlug: string): Promise<Response> {
  const slug = slugSchema.safeParse(rawSlug);
  const page = slug.success ? await publicStatus(slug.data) : null;
  if (!page) return unknownPage(rawSlug);
  return Response.json(publicJsonOf(page), { headers: cacheHeaders });
}

export async function pageBadgeResponse(rawSlug: string): Promise<Response> {
  const slug = slugSchema.safeParse(rawSlug);
  const page = slug.success ? await publicStatus(slug.data) : null;
  if (!page) return svgResponse(badgeSvg("status", "unknown page", "grey"), 404);
  return svgResponse(badgeSvg(page.title, statusWord(page.status), statusColor(page.status)));
}

export async function monitorBadgeResponse(rawId: string): Promise<Response> {
  const id = monitorIdSchema.safeParse(rawId);
  const badge = id.success ? await publicMonitorBadge(id.data) : null;
  if (!badge) return svgResponse(badgeSvg("monitor", "not on a public page", "grey"), 404);
  const uptime = badge.uptime90d === null ? "" : ` · ${badge.uptime90d.toFixed(2)}%`;
  return svgResponse(badgeSvg(badge.name, `${statusWord(badge.status)}${uptime}`, statusColor(badge.status)));
}
