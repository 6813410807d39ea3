import { z } from "zod";
import { apiQuery } from "@/lib/actions/api";
import { getMonitor, getMonitorUptime, uptimeWindowSchema } from "@/lib/queries/monitors";

export const dynamic = "force-dynamic";

/** GET /api/v1/monitors/{id}/uptime?window=24h|7d|30d|90d → {window, uptimePercent, checks, failures}; uptimePercent is null without checks. */
export const GET = apiQuery({
  name: "monitor.uptime",
  role: "viewer",
  input: z.object({ id: z.string().min(1), window: uptimeWindowSchema.default("24h") }),
  async handler({ id, window }) {
    await getMonitor(id);
    return getMonitorUptime(id, window);
  },
});
