import { apiAction, apiQuery } from "@/lib/actions/api";
import { deleteEnvironmentAction, updateEnvironmentAction } from "@/lib/actions/environments";
import { getEnvironmentRead } from "@/lib/actions/reads";
import { environmentJson } from "@/lib/queries/environments";

export const dynamic = "force-dynamic";

export const GET = apiQuery({ ...getEnvironmentRead, handler: async ({ appId, name }) => environmentJson(appId, name) });
export const PATCH = apiAction(updateEnvironmentAction);
export const DELETE = apiAction(deleteEnvironmentAction, { status: 204 });
