import { apiAction, apiQuery } from "@/lib/actions/api";
import { getStatusPageRead } from "@/lib/actions/reads";
import { deleteStatusPageAction, updateStatusPageAction } from "@/lib/actions/status-pages";
import { getStatusPageJson } from "@/lib/queries/status-pages";

export const dynamic = "force-dynamic";

export const GET = apiQuery({ ...getStatusPageRead, handler: ({ id }) => getStatusPageJson(id) });
/** PATCH (admin): any subset; `groups` replaces them all. */
export const PATCH = apiAction(updateStatusPageAction);
export const DELETE = apiAction(deleteStatusPageAction);
