import { apiAction } from "@/lib/actions/api";
import { startPromotionAction } from "@/lib/actions/environments";

export const POST = apiAction(startPromotionAction, { status: 202 });
