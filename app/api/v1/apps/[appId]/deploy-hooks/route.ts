import { apiAction } from "@/lib/actions/api";
import { createDeployHookAction } from "@/lib/actions/push";

export const POST = apiAction(createDeployHookAction, { status: 201 });
