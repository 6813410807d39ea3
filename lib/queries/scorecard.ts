import { createHash } from "node:crypto";
import { db, type Db } from "../db/client";
import { floorTo } from "../health/time";
import { getRolledThrough } from "../health/rollups";
import { log } from "../log";

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

type PeriodStats = { checks: number; failures: number; p95: number | null; source: "raw" | "rollup" };
type Period = { n: number; from: Date; to: Date };

/**
 * A period is kept once nothing more can land in it: it ended before the rollups' watermark (everything before
 * it has been written and rolled up; for a period read from hourly rollups, before the watermark's hour) and at
 * least this long ago.
 */
const SETTLED_MS = 10 * 60_000;

/**
 * Each period's checks, failures and p95 from the app's monitors' checks: raw results are exact; once pruned,
 * what is left of a period is read from the hourly rollups.
 */
async function computeStats(client: Db, periods: Period[], monitors: { id: string; seq: number }[], now: Date): Promise<Map<number, PeriodStats>> {
  const stats = new Map<number, PeriodStats>();
  const ids = monitors.map((m) => m.id);
  const seqs = monitors.map((m) => m.seq);
  const [bounds] = await client.$queryRaw<{ rawFrom: Date | null; rolledFrom: Date | null }[]>`
    SELECT (SELECT min(f.at) FROM unnest(${seqs}::int[]) AS m(seq) CROSS JOIN LATERAL (SELECT at FROM "CheckResultData" c WHERE c."monitorSeq" = m.seq ORDER BY at LIMIT 1) f) AS "rawFrom",
           (SELECT min("bucketStart") FROM "CheckRollup" WHERE "monitorId" = ANY(${ids}::text[]) AND bucket = 'minute') AS "rolledFrom"`;
  const rawFrom = bounds?.rawFrom ?? null;
  const rolledFrom = bounds?.rolledFrom ?? null;
  const rawCompleteFrom = rolledFrom === null ? new Date(0) : rawFrom === null ? now : rolledFrom.getTime() < floorTo(rawFrom, "minute").getTime() ? rawFrom : new Date(0);
  const rawPeriods = periods.filter((p) => p.from.getTime() >= rawCompleteFrom.getTime());
  const rollupPeriods = periods.filter((p) => p.from.getTime() < rawCompleteFrom.getTime());
  const unnested = (ps: Period[]) => [ps.map((p) => p.n), ps.map((p) => p.from.toISOString()), ps.map((p) => p.to.toISOString())] as const;
  if (rawPeriods.length) {
    const [ns, froms, tos] = unnested(rawPeriods);
    // The table, not the CheckResult view: by monitor seq; flags 1 ok, 2 in a deploy window, 4 in maintenance.
    const rows = await client.$queryRaw<{ n: number; checks: number; failures: number; p95: number | null }[]>`
      SELECT p.n::int AS n, count(c.at)::int AS checks, (count(c.at) FILTER (WHERE c.flags & 1 = 0))::int AS failures,
        percentile_cont(0.95) WITHIN GROUP (ORDER BY c."latencyMs") FILTER (WHERE c.flags & 1 <> 0) AS p95
      FROM unnest(${ns}::int[], ${froms}::timestamp[], ${tos}::timestamp[]) AS p(n, s, e)
      JOIN "CheckResultData" c ON c."monitorSeq" = ANY(${seqs}::int[]) AND c.at >= p.s AND c.at < p.e AND c.flags & 6 = 0
      GROUP BY p.n`;
    for (const r of rows) stats.set(r.n, { checks: r.checks, failures: r.failures, p95: r.p95, source: "raw" });
    for (const p of rawPeriods) if (!stats.has(p.n)) stats.set(p.n, { checks: 0, failures: 0, p95: null, source: "raw" });
  }
  if (rollupPeriods.length) {
    const [ns, froms, tos] = unnested(rollupPeriods);
    const rows = await client.$queryRaw<{ n: number; checks: bigint | null; failures: bigint | null; p95: number | null }[]>`
      SELECT p.n::int AS n, sum(r.checks)::bigint AS checks, sum(r.failures)::bigint AS failures,
        sum(r.p95 * r.checks) FILTER (WHERE r.p95 IS NOT NULL) / nullif(sum(r.checks) FILTER (WHERE r.p95 IS NOT NULL), 0) AS p95
      FROM unnest(${ns}::int[], ${froms}::timestamp[], ${tos}::timestamp[]) AS p(n, s, e)
      JOIN "CheckRollup" r ON r."monitorId" = ANY(${ids}::text[]) AND r.bucket = 'hour' AND r."bucketStart" >= p.s AND r."bucketStart" < p.e
      GROUP BY p.n`;
    for (const r of rows) stats.set(r.n, { checks: Number(r.checks ?? 0), failures: Number(r.failures ?? 0), p95: r.p95, source: "rollup" });
    for (const p of rollupPeriods) if (!stats.has(p.n)) stats.set(p.n, { checks: 0, failures: 0, p95: null, source: "rollup" });
  }
  return stats;
}

/**
 * Per release that went live (each successful deploy or rollback), newest first: error rate and p95 latency
 * of the app's monitors while it was current, next to the release before it. Checks inside deploy windows
 * are left out: the restart is not the release's fault. A closed period's figures are computed once and kept
 * (model ReleaseScore), so a page view reads the current release's checks only; they are kept for that end of
 * period and that set of the app's monitors, and computed again (from what retention has left) if either changes.
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
    client.monitor.findMany({ where: { appId }, select: { id: true, seq: true } }),
  ]);
  if (deploys.length === 0) return [];
  const now = new Date();
  const periods = deploys.map((d, n) => ({ n, deploy: d, from: d.finishedAt!, to: n === 0 ? now : deploys[n - 1]!.finishedAt! }));
  const monitorsKey = createHash("sha256")
    .update(
      monitors
        .map((m) => m.id)
        .toSorted()
        .join(","),
    )
    .digest("hex");
  const through = await getRolledThrough(client);
  const settled = periods.filter((p) => p.n > 0 && through !== null && p.to.getTime() <= Math.min(now.getTime() - SETTLED_MS, through.getTime()));

  const stats = new Map<number, PeriodStats>();
  const kept = new Map((await client.releaseScore.findMany({ where: { deployId: { in: settled.map((p) => p.deploy.id) } } })).map((k) => [k.deployId, k]));
  for (const p of settled) {
    const k = kept.get(p.deploy.id);
    if (k && k.periodEnd.getTime() === p.to.getTime() && k.monitors === monitorsKey) stats.set(p.n, { checks: k.checks, failures: k.failures, p95: k.p95, source: k.source === "rollup" ? "rollup" : "raw" });
  }
  const missing = periods.filter((p) => !stats.has(p.n));
  if (monitors.length && missing.length) {
    for (const [n, s] of await computeStats(client, missing, monitors, now)) stats.set(n, s);
    const hour = floorTo(through ?? now, "hour").getTime();
    const keep = settled.filter((p) => missing.includes(p) && stats.has(p.n) && (stats.get(p.n)!.source === "raw" || p.to.getTime() <= hour));
    if (keep.length) {
      // Only a cache: a failed write (the deploy deleted meanwhile, a read-only replica) leaves the page as it is.
      await client
        .$transaction(
          keep.map((p) => {
            const s = stats.get(p.n)!;
            const data = { periodEnd: p.to, monitors: monitorsKey, checks: s.checks, failures: s.failures, p95: s.p95, source: s.source, computedAt: now };
            return client.releaseScore.upsert({ where: { deployId: p.deploy.id }, create: { deployId: p.deploy.id, ...data }, update: data });
          }),
        )
        .catch((err: unknown) => log.warn({ err, appId }, "could not keep the release scorecard's figures"));
    }
  }
  const rows = periods.map((p) => {
    const s = stats.get(p.n) ?? { checks: 0, failures: 0, p95: null, source: "raw" as const };
    return {
      deployId: p.deploy.id,
      releaseId: p.deploy.releaseId!,
      release: p.deploy.release?.dir ?? "",
      commit: p.deploy.release?.commit ?? "",
      kind: p.deploy.kind,
      actor: p.deploy.actorLabel,
      since: p.from.getTime(),
      until: p.n === 0 ? null : p.to.getTime(),
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
