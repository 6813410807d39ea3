import { withRequestLog } from "@/lib/actions/api";
import { getSelfHealth } from "@/lib/queries/health";

export const dynamic = "force-dynamic";

export const GET = withRequestLog(async () => {
  const health = await getSelfHealth();
  return Response.json(health, { status: health.status === "ok" ? 200 : 503, headers: { "cache-control": "no-store" } });
});
