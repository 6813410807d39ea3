import { apiQuery } from "@/lib/actions/api";
import { deployLogRead } from "@/lib/actions/reads";
import { getDeployLogText } from "@/lib/queries/deploys";

export const GET = apiQuery({
  ...deployLogRead,
  handler: async ({ deployId }) => new Response(await getDeployLogText(deployId), { headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } }),
});
