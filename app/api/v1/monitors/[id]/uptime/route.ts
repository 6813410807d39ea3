import { apiQuery } from "@/lib/actions/api";
import { monitorUptimeRead } from "@/lib/actions/reads";
import { getMonitor, getMonitorUptime } from "@/lib/queries/monitors";

export const dynamic = "force-dynamic";

/** GET /api/v1/monitors/{id}/uptime?window=24h|7d|30d|90d → {window, uptimePercent, checks, failures}; uptimePercent is null without checks. */
export const GET = apiQuery({
  ...monitorUptimeRead,
  async handler({ id, window }) {
    await getMonitor(id);
    return getMonitorUptime(id, window);
  },
});
