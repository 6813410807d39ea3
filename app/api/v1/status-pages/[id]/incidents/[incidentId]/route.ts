import { apiAction } from "@/lib/actions/api";
import { deleteIncidentAction, updateIncidentAction } from "@/lib/actions/status-pages";

export const dynamic = "force-dynamic";

/** PATCH (admin) {title?, state?, body?}: a new title and/or an update appended to the incident's history. */
export const PATCH = apiAction(updateIncidentAction);
export const DELETE = apiAction(deleteIncidentAction);
