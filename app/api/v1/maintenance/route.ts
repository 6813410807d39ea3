import { apiAction, apiQuery } from "@/lib/actions/api";
import { createMaintenanceAction } from "@/lib/actions/incidents";
import { listMaintenanceRead } from "@/lib/actions/reads";
import { listMaintenance } from "@/lib/queries/incidents";

export const dynamic = "force-dynamic";

export const GET = apiQuery({ ...listMaintenanceRead, handler: () => listMaintenance() });

/** POST /api/v1/maintenance (admin) {name, startsAt, endsAt | cron + durationMinutes + timeZone, monitorIds | appIds | all: true} → 201. */
export const POST = apiAction(createMaintenanceAction, { status: 201 });
