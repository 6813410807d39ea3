import { z } from "zod";
import { apiAction, apiQuery } from "@/lib/actions/api";
import { deleteMonitorAction, updateMonitorAction } from "@/lib/actions/monitors";
import { getMonitor } from "@/lib/queries/monitors";

export const dynamic = "force-dynamic";

export const GET = apiQuery({
  name: "monitor.get",
  role: "viewer",
  input: z.object({ id: z.string().min(1) }),
  async handler({ id }) {
    const m = await getMonitor(id);
    return { ...m, lastCheckedAt: m.lastCheckedAt?.toISOString() ?? null, nextRunAt: m.nextRunAt.toISOString(), createdAt: m.createdAt.toISOString() };
  },
});

/** PATCH /api/v1/monitors/{id} (admin): any subset of the POST fields. */
export const PATCH = apiAction(updateMonitorAction);
export const DELETE = apiAction(deleteMonitorAction);
