import { apiAction } from "@/lib/actions/api";
import { createIncidentAction } from "@/lib/actions/status-pages";

export const dynamic = "force-dynamic";

/** POST (admin) {title, state, body} → 201: an incident on the page, with its first update. */
export const POST = apiAction(createIncidentAction, { status: 201 });
