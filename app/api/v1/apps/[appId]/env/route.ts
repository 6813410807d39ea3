import { apiQuery } from "@/lib/actions/api";
import { listEnvNames } from "@/lib/actions/apps";
import { listEnvRead } from "@/lib/actions/reads";

export const dynamic = "force-dynamic";

/** GET /api/v1/apps/{appId}/env: the variables' names only (values are write-only). */
export const GET = apiQuery({ ...listEnvRead, handler: ({ appId, environment }) => listEnvNames(appId, environment) });
