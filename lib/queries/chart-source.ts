import { DAY_MS } from "../health/time";

/** Most raw checks a chart draws one by one: beyond this, buckets read faster and say more. */
export const RAW_POINT_LIMIT = 720;

/**
 * Whether a chart of [from, to] draws the monitor's raw checks instead of its buckets. A young monitor's
 * 24 h view would otherwise be a single hourly dot: when the monitor's whole history lies inside the
 * window, is still within raw retention (so no check is missing), and has at most `limit` checks there,
 * each check is drawn.
 */
export function chooseChartSource(input: {
  from: number;
  now: number;
  /** When the monitor was created: its history starts here. */
  createdAt: number;
  /** Raw checks of the monitor in [from, now]. */
  rawChecks: number;
  rawRetentionDays: number;
  limit?: number;
}): "raw" | "bucket" {
  const limit = input.limit ?? RAW_POINT_LIMIT;
  const retainedFrom = input.now - input.rawRetentionDays * DAY_MS;
  const young = input.createdAt >= input.from && input.createdAt >= retainedFrom;
  return young && input.rawChecks <= limit ? "raw" : "bucket";
}
