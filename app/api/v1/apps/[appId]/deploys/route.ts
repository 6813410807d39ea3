import { z } from "zod";
import { apiAction, apiQuery } from "@/lib/actions/api";
import { startDeployAction } from "@/lib/actions/deploys";
import { listDeploys } from "@/lib/queries/deploys";

export const POST = apiAction(startDeployAction, { status: 202 });
export const GET = apiQuery({ name: "deploy.list", role: "viewer", input: z.object({ appId: z.string().min(1) }), handler: ({ appId }) => listDeploys({ appId }) });
