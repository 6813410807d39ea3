import { apiAction } from "@/lib/actions/api";
import { deleteServerAction, updateServerAction } from "@/lib/actions/servers";

export const dynamic = "force-dynamic";

/** PATCH /api/v1/servers/{serverId} (admin): any of name, host, port, username; privateKey or generateKey rotates the key. */
export const PATCH = apiAction(updateServerAction);
/** DELETE /api/v1/servers/{serverId} (admin) → 204, or 409 naming the apps that target it. */
export const DELETE = apiAction(deleteServerAction, { status: 204 });
