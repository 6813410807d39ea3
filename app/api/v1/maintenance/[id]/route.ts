import { apiAction, apiQuery } from "@/lib/actions/api";
import { deleteMaintenanceAction } from "@/lib/actions/incidents";
import { getMaintenanceRead } from "@/lib/actions/reads";
import { getMaintenance } from "@/lib/queries/incidents";

export const dynamic = "force-dynamic";

export const GET = apiQuery({ ...getMaintenanceRead, handler: ({ id }) => getMaintenance(id) });
export const DELETE = apiAction(deleteMaintenanceAction);
