import { apiAction, apiQuery } from "@/lib/actions/api";
import { deleteMonitorAction, updateMonitorAction } from "@/lib/actions/monitors";
import { getMonitorRead } from "@/lib/actions/reads";
import { monitorJson } from "@/lib/actions/wire";
import { getMonitor } from "@/lib/queries/monitors";

export const dynamic = "force-dynamic";

export const GET = apiQuery({
  ...getMonitorRead,
  handler: async ({ id }) => monitorJson(await getMonitor(id)),
});

/** PATCH /api/v1/monitors/{id} (admin): any subset of the POST fields. */
export const PATCH = apiAction(updateMonitorAction);
export const DELETE = apiAction(deleteMonitorAction);
