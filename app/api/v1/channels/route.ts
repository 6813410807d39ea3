import { apiAction, apiQuery } from "@/lib/actions/api";
import { createChannelAction } from "@/lib/actions/alerts";
import { listChannelsRead } from "@/lib/actions/reads";
import { listChannelsJson } from "@/lib/queries/notification-channels";

export const dynamic = "force-dynamic";

/** GET /api/v1/channels (admin) → [{id, name, type, config (no secrets), credentialsSet, …}]. */
export const GET = apiQuery({ ...listChannelsRead, handler: () => listChannelsJson() });

/** POST /api/v1/channels (admin) {name, type, config, isDefault} → 201 {id, …}; secrets in config are write-only. */
export const POST = apiAction(createChannelAction, { status: 201 });
