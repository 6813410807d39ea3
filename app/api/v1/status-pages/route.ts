import { apiAction, apiQuery } from "@/lib/actions/api";
import { listStatusPagesRead } from "@/lib/actions/reads";
import { createStatusPageAction } from "@/lib/actions/status-pages";
import { listStatusPagesJson } from "@/lib/queries/status-pages";

export const dynamic = "force-dynamic";

/** GET /api/v1/status-pages (admin) → every page with its groups. */
export const GET = apiQuery({ ...listStatusPagesRead, handler: () => listStatusPagesJson() });

/** POST /api/v1/status-pages (admin) {slug, title, groups: [{name, monitorIds}]} → 201; the page is /status/{slug}. */
export const POST = apiAction(createStatusPageAction, { status: 201 });
