import { apiQuery } from "@/lib/actions/api";
import { listChangesRead } from "@/lib/actions/reads";
import { changesJson } from "@/lib/actions/wire";
import { getChanges } from "@/lib/queries/changes";

export const GET = apiQuery({ ...listChangesRead, handler: async ({ appId, to }) => changesJson(await getChanges(appId, to)) });
