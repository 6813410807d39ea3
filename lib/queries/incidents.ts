import { db } from "../db/client";
import { listIncidents, getIncident, type IncidentView } from "../health/incidents";
import { withPrecedingDeploys, type IncidentWithDeploy } from "./deploy-incidents";
import { getMaintenance, listMaintenance, maintenanceBands, monitorsInMaintenance, type MaintenanceView } from "../health/maintenance";

/** What pages and API reads show of incidents and maintenance windows (lib/health owns the rows). */
export { getIncident, getMaintenance, listIncidents, listMaintenance };
export type { IncidentView, MaintenanceView };

export interface MonitorIncidentPanel {
  /** The 20 newest, with acknowledgement, suppression and notes. */
  incidents: IncidentWithDeploy[];
  /** Maintenance in the chart's range, epoch ms: shaded on the chart. */
  maintenance: { start: number; end: number }[];
  /** A window covers the monitor now: its status shows "maintenance". */
  inMaintenance: boolean;
}

/** The monitor page's incidents and maintenance. */
export async function getMonitorIncidentPanel(monitor: { id: string; appId: string | null }, range: { from: number; to: number }, now = new Date()): Promise<MonitorIncidentPanel> {
  const client = db();
  const [incidents, bands, open] = await Promise.all([listIncidents({ monitorId: monitor.id, limit: 20 }, client), maintenanceBands(client, monitor, new Date(range.from), new Date(range.to)), monitorsInMaintenance(client, [monitor], now)]);
  return {
    incidents: await withPrecedingDeploys(incidents, client),
    maintenance: bands.map((b) => ({ start: Math.max(b.start.getTime(), range.from), end: Math.min(b.end.getTime(), range.to) })).filter((b) => b.end > b.start),
    inMaintenance: open.has(monitor.id),
  };
}

/** Apps and monitors a maintenance window can cover, for the form. */
export async function listMaintenanceFormOptions() {
  const [apps, monitors] = await Promise.all([db().app.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } }), db().monitor.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } })]);
  return { apps, monitors };
}
