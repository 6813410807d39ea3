import { apiAction } from "@/lib/actions/api";
import { saveWebhookAction } from "@/lib/actions/push";

export const POST = apiAction(saveWebhookAction, { status: 201 });
