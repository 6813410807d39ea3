import { apiAction } from "@/lib/actions/api";
import { rotatePushTokenAction } from "@/lib/actions/heartbeat";

/** POST /api/v1/monitors/{id}/push-token (admin): a new push URL for a heartbeat monitor; the old one stops working. */
export const POST = apiAction(rotatePushTokenAction);
