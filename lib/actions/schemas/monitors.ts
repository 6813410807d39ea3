import { z } from "zod";
import type { BucketUnit } from "../../health/time";
import type { ChartRange, UptimeWindow } from "../../queries/monitors";

/** The monitor reads' inputs: the uptime window, the chart range, the series bucket. */
export const uptimeWindowSchema = z.enum(["24h", "7d", "30d", "90d"]) satisfies z.ZodType<UptimeWindow>;

export const chartRangeSchema = z.enum(["1h", "24h", "7d", "30d", "90d"]) satisfies z.ZodType<ChartRange>;

export const bucketSchema = z
  .enum(["1m", "1h", "1d"])
  .default("1h")
  .transform((b): BucketUnit => (({ "1m": "minute", "1h": "hour", "1d": "day" }) as const)[b]);
