import { acknowledgeIncidentAction, addIncidentNoteAction, createMaintenanceAction, deleteMaintenanceAction } from "../actions/incidents";
import { getMaintenanceRead, listIncidentsRead, listMaintenanceRead } from "../actions/reads";
import type { JsonSchema } from "./json-schema";
import type { ApiRoute } from "./routes";

const nullableString: JsonSchema = { type: ["string", "null"] };
const note: JsonSchema = {
  type: "object",
  properties: { id: { type: "string" }, author: { type: "string" }, text: { type: "string" }, createdAt: { type: "string", format: "date-time" } },
  required: ["id", "author", "text", "createdAt"],
};
const incident: JsonSchema = {
  type: "object",
  properties: {
    id: { type: "string" },
    monitorId: { type: "string" },
    monitorName: { type: "string" },
    startedAt: { type: "string", format: "date-time" },
    endedAt: nullableString,
    cause: nullableString,
    acknowledgedAt: nullableString,
    acknowledgedBy: nullableString,
    lastNotifiedAt: nullableString,
    suppressed: { type: ["string", "null"], description: '"suppressed: <parent> is down" while a dependency holds its alerts back' },
    notes: { type: "array", items: note },
  },
  required: ["id", "monitorId", "monitorName", "startedAt", "endedAt", "acknowledgedAt", "suppressed", "notes"],
};
const maintenance: JsonSchema = {
  type: "object",
  properties: {
    id: { type: "string" },
    name: { type: "string" },
    kind: { enum: ["one-off", "recurring"] },
    startsAt: nullableString,
    endsAt: nullableString,
    cron: nullableString,
    rrule: { ...nullableString, description: "An RFC 5545 RRULE (FREQ=DAILY|WEEKLY|MONTHLY|YEARLY, BYDAY, BYHOUR…) instead of cron, read in timeZone, counted from the window's creation day" },
    durationMinutes: { type: ["integer", "null"] },
    timeZone: nullableString,
    all: { type: "boolean" },
    monitorIds: { type: "array", items: { type: "string" } },
    appIds: { type: "array", items: { type: "string" } },
    active: { type: "boolean" },
    next: { type: ["object", "null"], properties: { startsAt: { type: "string" }, endsAt: { type: "string" } } },
  },
  required: ["id", "name", "kind", "all", "monitorIds", "appIds", "active", "next"],
};

/** Incidents (acknowledge, notes) and maintenance windows. Listed in API_ROUTES. */
export const INCIDENT_ROUTES: ApiRoute[] = [
  {
    method: "get",
    path: "/api/v1/incidents",
    summary: "List incidents",
    description: "Newest first. `open=true` only the ones still going, `open=false` only the ones over; `monitorId` one monitor's. Each says who acknowledged it, whether a dependency suppressed its alerts, and carries its notes.",
    tag: "Monitors",
    definition: listIncidentsRead,
    success: { status: 200, description: "Incidents", schema: { type: "array", items: incident } },
    example: { query: { open: "true" } },
  },
  {
    method: "post",
    path: "/api/v1/incidents/{id}/ack",
    summary: "Acknowledge an incident",
    description: "Stops its re-notification (the monitor's `renotifyMinutes`). Who and when are kept; acknowledging again keeps the first.",
    tag: "Monitors",
    definition: acknowledgeIncidentAction,
    success: { status: 200, description: "The incident", schema: incident },
    conflict: "The incident is over",
    example: { path: { id: "INCIDENT_ID" } },
  },
  {
    method: "post",
    path: "/api/v1/incidents/{id}/notes",
    summary: "Add a note to an incident",
    description: "The author is the caller; the time is now.",
    tag: "Monitors",
    definition: addIncidentNoteAction,
    success: { status: 201, description: "The note", schema: note },
    example: { path: { id: "INCIDENT_ID" }, body: { text: "Database failover in progress; ETA 10 minutes." } },
  },
  {
    method: "get",
    path: "/api/v1/maintenance",
    summary: "List maintenance windows",
    description: "Open ones first, then upcoming, then the one-off windows that are over; each with its current or next occurrence.",
    tag: "Monitors",
    definition: listMaintenanceRead,
    success: { status: 200, description: "Maintenance windows", schema: { type: "array", items: maintenance } },
  },
  {
    method: "post",
    path: "/api/v1/maintenance",
    summary: "Add a maintenance window",
    description:
      "One-off (`startsAt`, `endsAt`) or recurring (`cron`, five fields, or `rrule`, an RFC 5545 RRULE such as `FREQ=WEEKLY;BYDAY=SU;BYHOUR=2` without DTSTART; either read in `timeZone`, an IANA name, so it keeps its local time across DST; open `durationMinutes` from each run). Covers `monitorIds`, the monitors of `appIds`, or `all: true`. While open, checks still run and are recorded, but change no status, send no alert and count in no uptime figure.",
    tag: "Monitors",
    definition: createMaintenanceAction,
    success: { status: 201, description: "The window", schema: maintenance },
    example: { body: { name: "Sunday patching", cron: "0 3 * * 0", durationMinutes: 60, timeZone: "Europe/Berlin", all: true } },
  },
  {
    method: "get",
    path: "/api/v1/maintenance/{id}",
    summary: "A maintenance window",
    tag: "Monitors",
    definition: getMaintenanceRead,
    success: { status: 200, description: "The window", schema: maintenance },
    example: { path: { id: "MAINTENANCE_ID" } },
  },
  {
    method: "delete",
    path: "/api/v1/maintenance/{id}",
    summary: "Remove a maintenance window",
    description: "Results already recorded in it stay out of uptime.",
    tag: "Monitors",
    definition: deleteMaintenanceAction,
    success: { status: 200, description: "Removed", schema: { type: "object", properties: { id: { type: "string" }, deleted: { const: true } }, required: ["id", "deleted"] } },
    example: { path: { id: "MAINTENANCE_ID" } },
  },
];
