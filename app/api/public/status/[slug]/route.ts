import { withRequestLog } from "@/lib/actions/api";
import { publicStatusJsonResponse } from "@/lib/queries/status-pages";

export const dynamic = "force-dynamic";

/** GET /api/public/status/{slug} (no sign-in): the page's groups, monitors' status and 90-day uptime, incidents. */
export const GET = withRequestLog(async (_req, ctx) => publicStatusJsonResponse(String((await ctx.params).slug)));
