import { db, type Db } from "../db/client";
import { PRECEDING_DEPLOY_WINDOW_MS } from "../alerts/context";
import type { IncidentView } from "../health/incidents";

/**
 * Incidents and deploys, linked the way a monitor's alert names "the deploy before it" (lib/alerts/context.ts):
 * an incident belongs to the app's newest deploy or rollback that ended in the 30 minutes before it started.
 * Computed, not stored: the link follows the rule for incidents older than this code too.
 */
const ENDED = ["succeeded", "failed", "interrupted"] as const;

export interface LinkedDeploy {
  id: string;
  appId: string;
  kind: "deploy" | "rollback";
  status: string;
  finishedAt: string;
  release: string | null;
}

export type IncidentWithDeploy = IncidentView & { afterDeploy: LinkedDeploy | null };

/** Each incident with the deploy it followed (null: none ended in the 30 minutes before it, or its monitor has no app). */
export async function withPrecedingDeploys(incidents: IncidentView[], client: Db = db()): Promise<IncidentWithDeploy[]> {
  if (incidents.length === 0) return [];
  const monitors = await client.monitor.findMany({ where: { id: { in: [...new Set(incidents.map((i) => i.monitorId))] } }, select: { id: true, appId: true } });
  const appOf = new Map(monitors.map((m) => [m.id, m.appId]));
  const starts = incidents.map((i) => Date.parse(i.startedAt));
  const appIds = [...new Set(monitors.flatMap((m) => (m.appId ? [m.appId] : [])))];
  const deploys = appIds.length
    ? await client.deploy.findMany({
        where: { appId: { in: appIds }, status: { in: [...ENDED] }, finishedAt: { gte: new Date(Math.min(...starts) - PRECEDING_DEPLOY_WINDOW_MS), lte: new Date(Math.max(...starts)) } },
        orderBy: { finishedAt: "desc" },
        select: { id: true, appId: true, kind: true, status: true, finishedAt: true, release: { select: { dir: true } } },
      })
    : [];
  return incidents.map((i, k) => {
    const appId = appOf.get(i.monitorId);
    const start = starts[k]!;
    const d = appId ? deploys.find((d) => d.appId === appId && d.finishedAt!.getTime() <= start && d.finishedAt!.getTime() >= start - PRECEDING_DEPLOY_WINDOW_MS) : undefined;
    return { ...i, afterDeploy: d ? { id: d.id, appId: d.appId, kind: d.kind, status: d.status, finishedAt: d.finishedAt!.toISOString(), release: d.release?.dir ?? null } : null };
  });
}

export interface DeployIncident {
  id: string;
  monitorId: string;
  monitorName: string;
  startedAt: number;
  endedAt: number | null;
  cause: string | null;
}

/** The incidents that started within 30 minutes after this deploy ended, before the app's next deploy ended (newest first). */
export async function incidentsAfterDeploy(deployId: string, client: Db = db()): Promise<DeployIncident[]> {
  const d = await client.deploy.findUnique({ where: { id: deployId }, select: { appId: true, finishedAt: true, status: true } });
  if (!d?.finishedAt || !(ENDED as readonly string[]).includes(d.status)) return [];
  const next = await client.deploy.findFirst({ where: { appId: d.appId, id: { not: deployId }, status: { in: [...ENDED] }, finishedAt: { gt: d.finishedAt } }, orderBy: { finishedAt: "asc" }, select: { finishedAt: true } });
  const until = Math.min(d.finishedAt.getTime() + PRECEDING_DEPLOY_WINDOW_MS, next?.finishedAt?.getTime() ?? Infinity);
  const rows = await client.incident.findMany({
    where: { monitor: { appId: d.appId }, startedAt: { gte: d.finishedAt, ...(Number.isFinite(until) ? { lt: new Date(until) } : {}) } },
    orderBy: { startedAt: "desc" },
    take: 50,
    select: { id: true, monitorId: true, startedAt: true, endedAt: true, cause: true, monitor: { select: { name: true } } },
  });
  return rows.map((r) => ({ id: r.id, monitorId: r.monitorId, monitorName: r.monitor.name, startedAt: r.startedAt.getTime(), endedAt: r.endedAt?.getTime() ?? null, cause: r.cause }));
}
