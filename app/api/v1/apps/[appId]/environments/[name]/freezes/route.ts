import { apiAction, apiQuery } from "@/lib/actions/api";
import { createFreezeAction } from "@/lib/actions/environments";
import { listFreezesRead } from "@/lib/actions/reads";
import { freezeListJson } from "@/lib/queries/environments";

export const dynamic = "force-dynamic";

export const POST = apiAction(createFreezeAction, { status: 201 });
export const GET = apiQuery({ ...listFreezesRead, handler: async ({ appId, name }) => freezeListJson(appId, name) });
