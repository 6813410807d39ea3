import { headers } from "next/headers";
import { requestMeta } from "../auth/request-meta";
import { getRequestPrincipal } from "../auth/session";
import { db } from "../db/client";
import { env } from "../env";
import { collectMetrics } from "../metrics/collect";
import { formatMetrics, METRICS_CONTENT_TYPE } from "../metrics/format";
import { withRequestLog } from "./api";
import { assertPermission } from "./core";

/**
 * GET /metrics: Prometheus text format. An API token of any role (`Authorization: Bearer …`) or a session,
 * unless DECKHAND_METRICS_PUBLIC=true opens it to anyone who can reach the web port.
 */
export const metricsRoute = withRequestLog(async () => {
  if (!env().DECKHAND_METRICS_PUBLIC) {
    const h = await headers();
    await assertPermission(await getRequestPrincipal(), "viewDashboard", "metrics.read", requestMeta(h));
  }
  const body = formatMetrics(await collectMetrics(db()));
  return new Response(body, { headers: { "content-type": METRICS_CONTENT_TYPE, "cache-control": "no-store" } });
});
