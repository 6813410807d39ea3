import { z } from "zod";
import { apiAction, apiQuery } from "@/lib/actions/api";
import { createServerAction } from "@/lib/actions/deploys";
import { listServers } from "@/lib/queries/servers";

export const POST = apiAction(createServerAction, { status: 201 });
export const GET = apiQuery({ name: "server.list", role: "viewer", input: z.object({}), handler: () => listServers() });
