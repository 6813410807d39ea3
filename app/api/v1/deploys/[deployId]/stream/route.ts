import { apiQuery } from "@/lib/actions/api";
import { deployStreamRead } from "@/lib/actions/reads";
import { deployEventStream } from "@/lib/actions/deploy-stream";
import { getDeploy } from "@/lib/queries/deploys";

export const dynamic = "force-dynamic";

export const GET = apiQuery({
  ...deployStreamRead,
  handler: async ({ deployId }, _principal, req) => {
    await getDeploy(deployId); // 404 before the stream opens
    return new Response(deployEventStream(deployId, req.signal, req.headers.get("x-request-id") ?? ""), {
      headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store, no-transform", "x-accel-buffering": "no" },
    });
  },
});
