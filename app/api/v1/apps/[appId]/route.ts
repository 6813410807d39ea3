import { apiAction } from "@/lib/actions/api";
import { updateAppAction } from "@/lib/actions/apps";

export const dynamic = "force-dynamic";

/** PATCH /api/v1/apps/{appId} (admin): any subset of the POST fields, and `channelIds` (null: the default channels). */
export const PATCH = apiAction(updateAppAction);
