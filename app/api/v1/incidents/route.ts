import { apiQuery } from "@/lib/actions/api";
import { listIncidentsRead } from "@/lib/actions/reads";
import { listIncidents } from "@/lib/queries/incidents";

export const dynamic = "force-dynamic";

/** GET /api/v1/incidents?open=true&monitorId=…&limit=… → newest first, with acknowledgement, suppression and notes. */
export const GET = apiQuery({ ...listIncidentsRead, handler: (input) => listIncidents(input) });
