import { apiAction } from "@/lib/actions/api";
import { deleteDeployHookAction } from "@/lib/actions/push";

export const DELETE = apiAction(deleteDeployHookAction, { status: 204 });
