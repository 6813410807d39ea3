import { apiAction } from "@/lib/actions/api";
import { startRollbackAction } from "@/lib/actions/deploys";

export const POST = apiAction(startRollbackAction, { status: 202 });
