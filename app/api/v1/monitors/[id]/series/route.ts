import { apiQuery } from "@/lib/actions/api";
import { monitorSeriesRead } from "@/lib/actions/reads";
import { seriesPointJson } from "@/lib/actions/wire";
import { getMonitorSeries } from "@/lib/queries/monitors";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/monitors/{id}/series?from=<ISO>&to=<ISO>&bucket=1m|1h|1d →
 * {points: [{t, checks, failures, p50, p95, p99}]}: one point per bucket with checks, latencies in ms over successful checks.
 */
export const GET = apiQuery({
  ...monitorSeriesRead,
  async handler({ id, from, to, bucket }) {
    const { points } = await getMonitorSeries(id, { from, to, bucket });
    return { points: points.map(seriesPointJson) };
  },
});
