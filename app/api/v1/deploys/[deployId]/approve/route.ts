import { apiAction } from "@/lib/actions/api";
import { approveDeployAction } from "@/lib/actions/deploys";

export const POST = apiAction(approveDeployAction, { status: 202 });
