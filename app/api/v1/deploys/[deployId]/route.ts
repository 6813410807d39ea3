import { apiQuery } from "@/lib/actions/api";
import { getDeployRead } from "@/lib/actions/reads";
import { getDeploy } from "@/lib/queries/deploys";

export const GET = apiQuery({ ...getDeployRead, handler: ({ deployId }) => getDeploy(deployId) });
