import { apiAction } from "@/lib/actions/api";
import { addIncidentNoteAction } from "@/lib/actions/incidents";

export const dynamic = "force-dynamic";

/** POST /api/v1/incidents/{id}/notes (deployer) {text} → 201 the note (author and time are the caller's and now). */
export const POST = apiAction(addIncidentNoteAction, { status: 201 });
