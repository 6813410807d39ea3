import { apiQuery } from "@/lib/actions/api";
import { listReleasesRead } from "@/lib/actions/reads";
import { listReleases } from "@/lib/queries/deploys";

export const GET = apiQuery({ ...listReleasesRead, handler: ({ appId }) => listReleases(appId) });
