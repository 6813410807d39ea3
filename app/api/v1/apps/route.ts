import { apiAction, apiQuery } from "@/lib/actions/api";
import { createAppAction } from "@/lib/actions/apps";
import { listAppsRead } from "@/lib/actions/reads";
import { appListJson } from "@/lib/actions/wire";
import { listApps } from "@/lib/queries/apps";

export const POST = apiAction(createAppAction, { status: 201 });
export const GET = apiQuery({ ...listAppsRead, handler: async () => (await listApps()).map(appListJson) });
