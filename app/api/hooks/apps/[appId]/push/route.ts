import { pushWebhookRoute } from "@/lib/actions/push";

export const POST = pushWebhookRoute;
