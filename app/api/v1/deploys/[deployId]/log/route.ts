import { z } from "zod";
import { apiQuery } from "@/lib/actions/api";
import { getDeployLogText } from "@/lib/queries/deploys";

export const GET = apiQuery({
  name: "deploy.log",
  role: "viewer",
  input: z.object({ deployId: z.string().min(1) }),
  handler: async ({ deployId }) => new Response(await getDeployLogText(deployId), { headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } }),
});
