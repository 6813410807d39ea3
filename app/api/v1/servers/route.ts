import { apiAction, apiQuery } from "@/lib/actions/api";
import { createServerAction } from "@/lib/actions/servers";
import { listServersRead } from "@/lib/actions/reads";
import { serverJson } from "@/lib/actions/wire";
import { listServers } from "@/lib/queries/servers";

export const POST = apiAction(createServerAction, { status: 201 });
export const GET = apiQuery({ ...listServersRead, handler: async () => (await listServers()).map(serverJson) });
