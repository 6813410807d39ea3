import { db } from "../db/client";
import { floorTo } from "../health/time";

export interface ScorecardRow {
  deployId: string;
  releaseId: string;
  release: string;
  commit: string;
  kind: "deploy" | "rollback";
  actor: string;
  since: number;
  until: number | null;
  checks: number;
  failures: number;
  /** Failed checks / checks, 0..1; null without checks. */
  errorRate: number | null;
  p95Ms: number | null;
  /** raw: exact, from the results stamped with this release; rollup: from hourly rollups (p95 is a check-weighted mean of hourly p95s). */
  source: "raw" | "rollup";
  previous: { release: string; errorRate: number | null; p95Ms: number | null } | null;
}

/**
 * Per release that went live (each successful deploy or rollback), newest first: error rate and p95 latency
 * of the app's monitors while it was current, next to the release before it. Checks inside deploy windows
 * are left out: the restart is not the release's fault.
 */
export async function getReleaseScorecard(appId: string, limit = 10): Promise<ScorecardRow[]> {
  const client = db();
  const [deploys, monitors] = await Promise.all([
    client.deploy.findMany({
      where: { appId, status: "succeeded", releaseId: { not: null }, finishedAt: { not: null } },
      orderBy: { finishedAt: "desc" },
      take: limit + 1,
      select: { id: true, kind: true, actorLabel: true, finishedAt: true, releaseId: true, release: { select: { dir: true, commit: true } } },
    }),
    client.monitor.findMany({ where: { appId }, select: { id: true } }),
  ]);
  if (deploys.length === 0) return [];
  const ids = monitors.map((m) => m.id);
  const now = new Date();
  const periods = deploys.map((d, i) => ({
    deploy: d,
    from: d.finishedAt!,
    to: i === 0 ? now : deploys[i - 1]!.finishedAt!,
  }));
  // Raw results are exact; once pruned, what is left of a period is read from the hourly rollups.
  const [bounds] = ids.length
    ? await client.$queryRaw<{ rawFrom: Date | null; rolledFrom: Date | null }[]>`
        SELECT (SELECT min(f.at) FROM "Monitor" m CROSS JOIN LATERAL (SELECT at FROM "CheckResultData" c WHERE c."monitorSeq" = m.seq ORDER BY at LIMIT 1) f WHERE m.id = ANY(${ids}::text[])) AS "rawFrom",
               (SELECT min("bucketStart") FROM "CheckRollup" WHERE "monitorId" = ANY(${ids}::text[]) AND bucket = 'minute') AS "rolledFrom"`
    : [{ rawFrom: null, rolledFrom: null }];
  const rawFrom = bounds?.rawFrom ?? null;
  const rolledFrom = bounds?.rolledFrom ?? null;
  const rawCompleteFrom = rolledFrom === null ? new Date(0) : rawFrom === null ? now : rolledFrom.getTime() < floorTo(rawFrom, "minute").getTime() ? rawFrom : new Date(0);
  const stats = new Map<number, { checks: number; failures: number; p95: number | null; source: "raw" | "rollup" }>();
  if (ids.length) {
    const rawPeriods = periods.map((p, n) => ({ ...p, n })).filter((p) => p.from.getTime() >= rawCompleteFrom.getTime());
    const rollupPeriods = periods.map((p, n) => ({ ...p, n })).filter((p) => p.from.getTime() < rawCompleteFrom.getTime());
    if (rawPeriods.length) {
      const rows = await client.$queryRaw<{ n: number; checks: number; failures: number; p95: number | null }[]>`
        SELECT p.n::int AS n, count(c.at)::int AS checks, (count(c.at) FILTER (WHERE NOT c.ok))::int AS failures,
          percentile_cont(0.95) WITHIN GROUP (ORDER BY c."latencyMs") FILTER (WHERE c.ok) AS p95
        FROM unnest(${rawPeriods.map((p) => p.n)}::int[], ${rawPeriods.map((p) => p.from.toISOString())}::timestamp[],
                    ${rawPeriods.map((p) => p.to.toISOString())}::timestamp[]) AS p(n, s, e)
        JOIN "CheckResult" c ON c."monitorId" = ANY(${ids}::text[]) AND c.at >= p.s AND c.at < p.e AND NOT c."inDeployWindow" AND NOT c."inMaintenance"
        GROUP BY p.n`;
      for (const r of rows) stats.set(r.n, { checks: r.checks, failures: r.failures, p95: r.p95, source: "raw" });
      for (const p of rawPeriods) if (!stats.has(p.n)) stats.set(p.n, { checks: 0, failures: 0, p95: null, source: "raw" });
    }
    if (rollupPeriods.length) {
      const rows = await client.$queryRaw<{ n: number; checks: bigint | null; failures: bigint | null; p95: number | null }[]>`
        SELECT p.n::int AS n, sum(r.checks)::bigint AS checks, sum(r.failures)::bigint AS failures,
          sum(r.p95 * r.checks) FILTER (WHERE r.p95 IS NOT NULL) / nullif(sum(r.checks) FILTER (WHERE r.p95 IS NOT NULL), 0) AS p95
        FROM unnest(${rollupPeriods.map((p) => p.n)}::int[], ${rollupPeriods.map((p) => p.from.toISOString())}::timestamp[],
                    ${rollupPeriods.map((p) => p.to.toISOString())}::timestamp[]) AS p(n, s, e)
        JOIN "CheckRollup" r ON r."monitorId" = ANY(${ids}::text[]) AND r.bucket = 'hour' AND r."bucketStart" >= p.s AND r."bucketStart" < p.e
        GROUP BY p.n`;
      for (const r of rows) stats.set(r.n, { checks: Number(r.checks ?? 0), failures: Number(r.failures ?? 0), p95: r.p95, source: "rollup" });
      for (const p of rollupPeriods) if (!stats.has(p.n)) stats.set(p.n, { checks: 0, failures: 0, p95: null, source: "rollup" });
    }
  }
  const rows = periods.map((p, n) => {
    const s = stats.get(n) ?? { checks: 0, failures: 0, p95: null, source: "raw" as const };
    return {
      deployId: p.deploy.id,
      releaseId: p.deploy.releaseId!,
      release: p.deploy.release?.dir ?? "",
      commit: p.deploy.release?.commit ?? "",
      kind: p.deploy.kind,
      actor: p.deploy.actorLabel,
      since: p.from.getTime(),
      until: n === 0 ? null : p.to.getTime(),
      checks: s.checks,
      failures: s.failures,
      errorRate: s.checks ? s.failures / s.checks : null,
      p95Ms: s.p95 === null ? null : Math.round(s.p95 * 10) / 10,
      source: s.source,
      previous: null as ScorecardRow["previous"],
    };
  });
  for (let i = 0; i < rows.length - 1; i++) {
    const prev = rows[i + 1]!;
    rows[i]!.previous = { release: prev.release, errorRate: prev.errorRate, p95Ms: prev.p95Ms };
  }
  return rows.slice(0, limit);
}
