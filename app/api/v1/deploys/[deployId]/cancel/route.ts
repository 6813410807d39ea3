import { apiAction } from "@/lib/actions/api";
import { cancelDeployAction } from "@/lib/actions/deploys";

export const POST = apiAction(cancelDeployAction, { status: 202 });
