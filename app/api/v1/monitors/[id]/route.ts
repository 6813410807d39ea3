import { apiAction, apiQuery } from "@/lib/actions/api";
import { deleteMonitorAction, updateMonitorAction } from "@/lib/actions/monitors";
import { getMonitorRead } from "@/lib/actions/reads";
import { getMonitor } from "@/lib/queries/monitors";

export const dynamic = "force-dynamic";

export const GET = apiQuery({
  ...getMonitorRead,
  async handler({ id }) {
    const m = await getMonitor(id);
    return { ...m, lastCheckedAt: m.lastCheckedAt?.toISOString() ?? null, nextRunAt: m.nextRunAt.toISOString(), createdAt: m.createdAt.toISOString() };
  },
});

/** PATCH /api/v1/monitors/{id} (admin): any subset of the POST fields. */
export const PATCH = apiAction(updateMonitorAction);
export const DELETE = apiAction(deleteMonitorAction);
