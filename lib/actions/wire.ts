import type { AppListRow } from "../queries/apps";
import type { Changes } from "../deploy/changes";
import type { DeployListRow, DeployView, ReleaseRow } from "../queries/deploys";
import type { MonitorListRow, MonitorView } from "../queries/monitors";
import type { SeriesPoint } from "../queries/series";
import type { ServerRow } from "../queries/servers";
import type { ApiTokenRow, UserListRow } from "../queries/users";

/**
 * The API's JSON: the read models with their epoch-ms times written as ISO 8601 strings, the format
 * the API has always answered with (and the OpenAPI document promises for deploys and releases).
 */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : iso(ms);
}

export function serverJson(s: ServerRow) {
  return { ...s, hostKeyCheckedAt: isoOrNull(s.hostKeyCheckedAt), createdAt: iso(s.createdAt) };
}

export function appListJson(a: AppListRow) {
  return {
    ...a,
    current: a.current && { ...a.current, createdAt: iso(a.current.createdAt) },
    lastDeploy: a.lastDeploy && { ...a.lastDeploy, createdAt: iso(a.lastDeploy.createdAt) },
  };
}

export function deployListJson(d: DeployListRow) {
  return { ...d, createdAt: iso(d.createdAt), finishedAt: isoOrNull(d.finishedAt), committedAt: isoOrNull(d.committedAt) };
}

export function releaseJson(r: ReleaseRow) {
  return { ...r, createdAt: iso(r.createdAt), committedAt: isoOrNull(r.committedAt) };
}

export function changesJson(c: Changes) {
  return { ...c, commits: c.commits.map((m) => ({ ...m, committedAt: m.committedAt?.toISOString() ?? null })) };
}
/** GET /api/v1/apps/{appId}/changes as JSON. */
export type ChangesJson = ReturnType<typeof changesJson>;

export function deployJson(d: DeployView) {
  return {
    ...d,
    createdAt: iso(d.createdAt),
    committedAt: isoOrNull(d.committedAt),
    startedAt: isoOrNull(d.startedAt),
    finishedAt: isoOrNull(d.finishedAt),
    decidedAt: isoOrNull(d.decidedAt),
    steps: d.steps.map((s) => ({ ...s, startedAt: isoOrNull(s.startedAt), finishedAt: isoOrNull(s.finishedAt) })),
  };
}
/** A deploy as GET /api/v1/deploys/{id} and the deploy stream send it. */
export type DeployJson = ReturnType<typeof deployJson>;

export function monitorListJson(m: MonitorListRow) {
  return { ...m, lastCheckedAt: isoOrNull(m.lastCheckedAt) };
}

export function monitorJson(m: MonitorView) {
  return { ...m, lastCheckedAt: isoOrNull(m.lastCheckedAt), nextRunAt: iso(m.nextRunAt), createdAt: iso(m.createdAt), lastBeatAt: isoOrNull(m.lastBeatAt), certNotAfter: isoOrNull(m.certNotAfter) };
}

export function seriesPointJson(p: SeriesPoint) {
  return { ...p, t: iso(p.t) };
}

export function userJson(u: UserListRow) {
  return { ...u, createdAt: iso(u.createdAt), lockedUntil: isoOrNull(u.lockedUntil) };
}

/** A token as listed: never its secret (only its hash is stored), `createdBy` the creator's email or null. */
export function tokenJson({ createdBy, ...t }: ApiTokenRow) {
  return {
    ...t,
    createdBy: createdBy?.email ?? null,
    createdAt: iso(t.createdAt),
    expiresAt: isoOrNull(t.expiresAt),
    lastUsedAt: isoOrNull(t.lastUsedAt),
    revokedAt: isoOrNull(t.revokedAt),
  };
}
