import { apiAction } from "@/lib/actions/api";
import { acknowledgeIncidentAction } from "@/lib/actions/incidents";

export const dynamic = "force-dynamic";

/** POST /api/v1/incidents/{id}/ack (deployer) → the incident, acknowledged: its re-notification stops. */
export const POST = apiAction(acknowledgeIncidentAction);
