import { metricsRoute } from "@/lib/actions/metrics";

export const dynamic = "force-dynamic";

/** GET /metrics: Prometheus text format (README, Metrics); a bearer API token of any role unless DECKHAND_METRICS_PUBLIC=true. */
export const GET = metricsRoute;
