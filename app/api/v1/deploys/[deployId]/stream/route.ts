import { z } from "zod";
import { apiQuery } from "@/lib/actions/api";
import { deployEventStream } from "@/lib/queries/deploy-stream";
import { getDeploy } from "@/lib/queries/deploys";

export const dynamic = "force-dynamic";

export const GET = apiQuery({
  name: "deploy.stream",
  role: "viewer",
  input: z.object({ deployId: z.string().min(1) }),
  handler: async ({ deployId }, _principal, req) => {
    await getDeploy(deployId); // 404 before the stream opens
    return new Response(deployEventStream(deployId, req.signal), {
      headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store, no-transform", "x-accel-buffering": "no" },
    });
  },
});
