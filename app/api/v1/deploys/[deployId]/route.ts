import { apiQuery } from "@/lib/actions/api";
import { getDeployRead } from "@/lib/actions/reads";
import { deployJson } from "@/lib/actions/wire";
import { getDeploy } from "@/lib/queries/deploys";

export const GET = apiQuery({ ...getDeployRead, handler: async ({ deployId }) => deployJson(await getDeploy(deployId)) });
