import { apiAction, apiQuery } from "@/lib/actions/api";
import { createEnvironmentAction } from "@/lib/actions/environments";
import { listEnvironmentsRead } from "@/lib/actions/reads";
import { environmentListJson } from "@/lib/queries/environments";

export const dynamic = "force-dynamic";

export const POST = apiAction(createEnvironmentAction, { status: 201 });
export const GET = apiQuery({ ...listEnvironmentsRead, handler: async ({ appId }) => environmentListJson(appId) });
