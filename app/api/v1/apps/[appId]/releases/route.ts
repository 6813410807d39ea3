import { z } from "zod";
import { apiQuery } from "@/lib/actions/api";
import { listReleases } from "@/lib/queries/deploys";

export const GET = apiQuery({ name: "release.list", role: "viewer", input: z.object({ appId: z.string().min(1) }), handler: ({ appId }) => listReleases(appId) });
