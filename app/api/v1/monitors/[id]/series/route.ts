import { z } from "zod";
import { apiQuery } from "@/lib/actions/api";
import { bucketSchema, getMonitorSeries } from "@/lib/queries/monitors";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/monitors/{id}/series?from=<ISO>&to=<ISO>&bucket=1m|1h|1d →
 * {points: [{t, checks, failures, p50, p95, p99}]}: one point per bucket with checks, latencies in ms over successful checks.
 */
export const GET = apiQuery({
  name: "monitor.series",
  role: "viewer",
  input: z.object({
    id: z.string().min(1),
    from: z.iso.datetime({ offset: true }).transform((v) => new Date(v)),
    to: z.iso.datetime({ offset: true }).optional().transform((v) => (v ? new Date(v) : new Date())),
    bucket: bucketSchema,
  }),
  handler: ({ id, from, to, bucket }) => getMonitorSeries(id, { from, to, bucket }),
});
