import { apiAction } from "@/lib/actions/api";
import { rejectDeployAction } from "@/lib/actions/deploys";

export const POST = apiAction(rejectDeployAction, { status: 202 });
