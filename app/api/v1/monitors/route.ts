import { apiAction, apiQuery } from "@/lib/actions/api";
import { createMonitorAction } from "@/lib/actions/monitors";
import { listMonitorsRead } from "@/lib/actions/reads";
import { monitorListJson } from "@/lib/actions/wire";
import { listMonitors } from "@/lib/queries/monitors";

export const dynamic = "force-dynamic";

/** GET /api/v1/monitors → [{id, name, type, status, lastCheckedAt, …}] (viewer). */
export const GET = apiQuery({ ...listMonitorsRead, handler: async () => (await listMonitors()).map(monitorListJson) });

/**
 * POST /api/v1/monitors (admin) {name, type: "http"|"tcp"|"ssh"|"heartbeat", url | host+port | serverId+command | graceSeconds+cron+timeZone,
 * intervalSeconds, timeoutSeconds, retries, expectedStatus, keyword, method, appId} → 201 {id, …};
 * 400 {error: {code: "target_denied", message}} for a metadata or otherwise denied target.
 */
export const POST = apiAction(createMonitorAction, { status: 201 });
