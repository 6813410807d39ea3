import { apiAction } from "@/lib/actions/api";
import { deleteFreezeAction } from "@/lib/actions/environments";

export const DELETE = apiAction(deleteFreezeAction, { status: 204 });
