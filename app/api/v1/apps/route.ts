import { z } from "zod";
import { apiAction, apiQuery } from "@/lib/actions/api";
import { createAppAction } from "@/lib/actions/deploys";
import { listApps } from "@/lib/queries/apps";

export const POST = apiAction(createAppAction, { status: 201 });
export const GET = apiQuery({ name: "app.list", role: "viewer", input: z.object({}), handler: () => listApps() });
