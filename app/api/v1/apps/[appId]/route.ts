import { apiAction } from "@/lib/actions/api";
import { deleteAppAction, updateAppAction } from "@/lib/actions/apps";

export const dynamic = "force-dynamic";

/** PATCH /api/v1/apps/{appId} (admin): any subset of the POST fields, and `channelIds` (null: the default channels). */
export const PATCH = apiAction(updateAppAction);

/** DELETE /api/v1/apps/{appId}?removeReleases=true|false (admin): 204, or 202 when its releases were removed from the servers too. */
export const DELETE = apiAction(deleteAppAction, { status: 204, query: ["removeReleases"], statusOf: (r) => (r.releasesRemoved ? 202 : 204) });
