import { apiAction, apiQuery } from "@/lib/actions/api";
import { deleteChannelAction, updateChannelAction } from "@/lib/actions/alerts";
import { getChannelRead } from "@/lib/actions/reads";
import { getChannelJson } from "@/lib/queries/notification-channels";

export const dynamic = "force-dynamic";

export const GET = apiQuery({ ...getChannelRead, handler: ({ id }) => getChannelJson(id) });

/** PATCH /api/v1/channels/{id} (admin): any subset; `config` is merged, secrets left out are kept. */
export const PATCH = apiAction(updateChannelAction);
export const DELETE = apiAction(deleteChannelAction);
