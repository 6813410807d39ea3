import { apiAction } from "@/lib/actions/api";
import { testChannelAction } from "@/lib/actions/alerts";

export const dynamic = "force-dynamic";

/** POST /api/v1/channels/{id}/test (admin) → 202: a test alert is queued; the worker sends it. */
export const POST = apiAction(testChannelAction, { status: 202 });
