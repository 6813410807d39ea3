import { apiAction } from "@/lib/actions/api";
import { removeEnvVarAction, setEnvVarAction } from "@/lib/actions/apps";

export const dynamic = "force-dynamic";

/** PUT /api/v1/apps/{appId}/env/{key} {value} (admin): adds the variable or replaces its value. */
export const PUT = apiAction(setEnvVarAction, { query: ["environment"] });

/** DELETE /api/v1/apps/{appId}/env/{key} (admin): 204. */
export const DELETE = apiAction(removeEnvVarAction, { status: 204, query: ["environment"] });
