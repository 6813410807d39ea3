import { withRequestLog } from "@/lib/actions/api";
import { pageBadgeResponse } from "@/lib/queries/status-pages";

export const dynamic = "force-dynamic";

/** GET /api/public/status/{slug}/badge.svg (no sign-in): the page's overall status as an SVG badge. */
export const GET = withRequestLog(async (_req, ctx) => pageBadgeResponse(String((await ctx.params).slug)));
