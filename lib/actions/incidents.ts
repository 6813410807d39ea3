import { z } from "zod";
import { principalLabel } from "../auth/roles";
import { acknowledgeIncident, addIncidentNote, noteInputSchema } from "../health/incidents";
import { createMaintenance, deleteMaintenance, maintenanceInputSchema } from "../health/maintenance";
import { defineAction } from "./core";

const idSchema = z.object({ id: z.string().min(1) });

/** Stops the incident's re-notification; who and when are kept on it. Deployers and admins (whoever is on call). */
export const acknowledgeIncidentAction = defineAction({
  name: "incident.acknowledge",
  permission: "deploy",
  input: idSchema,
  async handler({ id }, ctx) {
    const { incident, alreadyAcknowledged, monitor } = await acknowledgeIncident(ctx.tx, id, principalLabel(ctx.principal));
    ctx.audit({ type: "incident", id, name: monitor.name }, { monitorId: monitor.id, alreadyAcknowledged });
    return incident;
  },
});

export const addIncidentNoteAction = defineAction({
  name: "incident.note",
  permission: "deploy",
  input: noteInputSchema,
  async handler({ id, text }, ctx) {
    const { note, monitor } = await addIncidentNote(ctx.tx, id, principalLabel(ctx.principal), text);
    ctx.audit({ type: "incident", id, name: monitor.name }, { monitorId: monitor.id, noteId: note.id, length: text.length });
    return note;
  },
});

export const createMaintenanceAction = defineAction({
  name: "maintenance.create",
  permission: "manageMonitors",
  input: maintenanceInputSchema,
  async handler(input, ctx) {
    const w = await createMaintenance(ctx.tx, input, principalLabel(ctx.principal));
    ctx.audit(
      { type: "maintenance", id: w.id, name: w.name },
      { kind: w.kind, startsAt: w.startsAt, endsAt: w.endsAt, cron: w.cron, durationMinutes: w.durationMinutes, timeZone: w.timeZone, all: w.all, monitorIds: w.monitorIds, appIds: w.appIds },
    );
    return w;
  },
});

export const deleteMaintenanceAction = defineAction({
  name: "maintenance.delete",
  permission: "manageMonitors",
  input: idSchema,
  async handler({ id }, ctx) {
    const before = await deleteMaintenance(ctx.tx, id);
    ctx.audit({ type: "maintenance", id, name: before.name }, { kind: before.kind });
    return { id, deleted: true };
  },
});
