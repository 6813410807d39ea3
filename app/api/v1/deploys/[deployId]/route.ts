import { z } from "zod";
import { apiQuery } from "@/lib/actions/api";
import { getDeploy } from "@/lib/queries/deploys";

export const GET = apiQuery({ name: "deploy.get", role: "viewer", input: z.object({ deployId: z.string().min(1) }), handler: ({ deployId }) => getDeploy(deployId) });
