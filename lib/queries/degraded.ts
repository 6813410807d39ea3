import type { Db, Tx } from "../db/client";

/** A run of consecutive degraded checks: from the first one to the next check that was not degraded (or `to`). */
export interface DegradedRun {
  start: number;
  end: number;
  checks: number;
}

const MAX_RUNS = 500;

/**
 * The monitor's degraded stretches in [from, to), from its raw checks (rollups carry no degraded count, so
 * history older than the raw retention has no degraded bands). One statement: the partial index on degraded
 * checks (migration 20261209800000) gives the first and last degraded check in range, and only the checks from
 * the first to the one after the last are read; in them, gaps and islands: each run of degraded checks grouped
 * by how many checks that were not degraded came before it.
 */
export async function loadDegradedRuns(client: Db | Tx, monitorId: string, range: { from: Date; to: Date }): Promise<DegradedRun[]> {
  const from = range.from.toISOString();
  const to = range.to.toISOString();
  const rows = await client.$queryRaw<{ start: Date; end: Date; checks: number }[]>`
    WITH m AS (SELECT seq FROM "Monitor" WHERE id = ${monitorId}),
    b AS (
      SELECT min(at) AS lo, max(at) AS hi FROM "CheckResultData"
      WHERE "monitorSeq" = (SELECT seq FROM m) AND at >= ${from}::timestamp AND at < ${to}::timestamp AND (flags & 8) <> 0
    ),
    e AS (
      SELECT lo, coalesce((SELECT min(at) FROM "CheckResultData" WHERE "monitorSeq" = (SELECT seq FROM m) AND at > b.hi AND at < ${to}::timestamp), ${to}::timestamp) AS stop
      FROM b WHERE lo IS NOT NULL
    ),
    s AS (
      SELECT at, degraded, lead(at) OVER (ORDER BY at) AS next, count(*) FILTER (WHERE NOT degraded) OVER (ORDER BY at) AS grp
      FROM (
        SELECT at, (flags & 8) <> 0 AS degraded FROM "CheckResultData", e
        WHERE "monitorSeq" = (SELECT seq FROM m) AND at >= e.lo AND at <= e.stop AND at >= ${from}::timestamp AND at < ${to}::timestamp
      ) raw
    )
    SELECT min(at) AS start, max(coalesce(next, ${to}::timestamp)) AS "end", count(*)::int AS checks FROM s WHERE degraded GROUP BY grp ORDER BY 1 LIMIT ${MAX_RUNS}`;
  return rows.map((r) => ({ start: r.start.getTime(), end: r.end.getTime(), checks: r.checks }));
}
