import { apiAction, apiQuery } from "@/lib/actions/api";
import { startDeployAction } from "@/lib/actions/deploys";
import { listDeploysRead } from "@/lib/actions/reads";
import { deployListJson } from "@/lib/actions/wire";
import { listDeploys } from "@/lib/queries/deploys";

export const POST = apiAction(startDeployAction, { status: 202 });
export const GET = apiQuery({ ...listDeploysRead, handler: async ({ appId }) => (await listDeploys({ appId })).map(deployListJson) });
