import { apiAction, apiQuery } from "@/lib/actions/api";
import { createAppAction } from "@/lib/actions/apps";
import { listAppsRead } from "@/lib/actions/reads";
import { listApps } from "@/lib/queries/apps";

export const POST = apiAction(createAppAction, { status: 201 });
export const GET = apiQuery({ ...listAppsRead, handler: () => listApps() });
