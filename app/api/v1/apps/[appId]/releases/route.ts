import { apiQuery } from "@/lib/actions/api";
import { listReleasesRead } from "@/lib/actions/reads";
import { releaseJson } from "@/lib/actions/wire";
import { listReleases } from "@/lib/queries/deploys";

export const GET = apiQuery({ ...listReleasesRead, handler: async ({ appId, environment }) => (await listReleases(appId, environment)).map(releaseJson) });
