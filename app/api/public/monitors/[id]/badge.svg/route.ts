import { withRequestLog } from "@/lib/actions/api";
import { monitorBadgeResponse } from "@/lib/queries/status-pages";

export const dynamic = "force-dynamic";

/** GET /api/public/monitors/{id}/badge.svg (no sign-in): a monitor's status and 90-day uptime, only for monitors on a status page. */
export const GET = withRequestLog(async (_req, ctx) => monitorBadgeResponse(String((await ctx.params).id)));
