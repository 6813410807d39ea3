import { getStatusPageRead, listStatusPagesRead } from "../actions/reads";
import { createIncidentAction, createStatusPageAction, deleteIncidentAction, deleteStatusPageAction, updateIncidentAction, updateStatusPageAction } from "../actions/status-pages";
import type { JsonSchema } from "./json-schema";
import type { ApiRoute } from "./routes";

const update: JsonSchema = { type: "object", properties: { state: { type: "string" }, body: { type: "string" }, at: { type: "string", format: "date-time" } }, required: ["state", "body", "at"] };
const incident: JsonSchema = {
  type: "object",
  properties: {
    id: { type: "string" },
    title: { type: "string" },
    state: { enum: ["investigating", "identified", "monitoring", "resolved"] },
    createdAt: { type: "string", format: "date-time" },
    resolvedAt: { type: ["string", "null"], format: "date-time" },
    updates: { type: "array", items: update },
  },
  required: ["id", "title", "state", "createdAt", "resolvedAt", "updates"],
};
const page: JsonSchema = {
  type: "object",
  properties: {
    id: { type: "string" },
    slug: { type: "string" },
    title: { type: "string" },
    logoUrl: { type: ["string", "null"] },
    footer: { type: ["string", "null"] },
    showTargets: { type: "boolean" },
    url: { type: "string", description: "The public page, /status/{slug}" },
    groups: { type: "array", items: { type: "object", properties: { name: { type: "string" }, monitors: { type: "array", items: { type: "object" } } }, required: ["name", "monitors"] } },
  },
  required: ["id", "slug", "title", "logoUrl", "footer", "showTargets", "url", "groups"],
};
const publicStatus: JsonSchema = {
  type: "object",
  properties: {
    slug: { type: "string" },
    title: { type: "string" },
    status: { enum: ["operational", "partial_outage", "major_outage", "no_data"] },
    groups: {
      type: "array",
      items: {
        type: "object",
        properties: {
          name: { type: "string" },
          monitors: {
            type: "array",
            items: {
              type: "object",
              properties: { id: { type: "string" }, name: { type: "string" }, status: { type: "string" }, uptime90d: { type: ["number", "null"] }, target: { type: "string", description: "Only when the page shows targets" } },
              required: ["id", "name", "status", "uptime90d"],
            },
          },
        },
        required: ["name", "monitors"],
      },
    },
    incidents: { type: "array", items: incident },
    maintenance: {
      type: "array",
      items: { type: "object", properties: { id: { type: "string" }, name: { type: "string" }, startsAt: { type: "string", format: "date-time" }, endsAt: { type: "string", format: "date-time" }, active: { type: "boolean" } } },
    },
    generatedAt: { type: "string", format: "date-time", description: "When the answer was built (it is cached for 5 s)" },
  },
  required: ["slug", "title", "status", "groups", "incidents", "maintenance", "generatedAt"],
};
const deleted: JsonSchema = { type: "object", properties: { id: { type: "string" }, deleted: { const: true } }, required: ["id", "deleted"] };
const badge = { status: 200 as const, description: "An SVG badge", mediaType: "image/svg+xml" as const, schema: { type: "string" } };

/** Status pages: the admin API, and the open JSON and badges. Listed in API_ROUTES. */
export const STATUS_PAGE_ROUTES: ApiRoute[] = [
  { method: "get", path: "/api/v1/status-pages", summary: "List status pages", tag: "Status pages", definition: listStatusPagesRead, success: { status: 200, description: "Status pages, by title", schema: { type: "array", items: page } } },
  {
    method: "post",
    path: "/api/v1/status-pages",
    summary: "Create a status page",
    description:
      "The page is public at `/status/{slug}` (no sign-in). `groups` are shown in order, each with its monitors in the order given; `displayNames` (by monitor id) are the names the public sees. Monitors' URLs and hosts are never shown unless `showTargets` is true. `logoUrl` is a path on this site or a data:image URL.",
    tag: "Status pages",
    definition: createStatusPageAction,
    success: { status: 201, description: "The page", schema: page },
    conflict: "A page already has that slug",
    example: { body: { slug: "acme", title: "Acme status", groups: [{ name: "Website", monitorIds: ["MONITOR_ID"], displayNames: { MONITOR_ID: "Shop" } }] } },
  },
  {
    method: "get",
    path: "/api/v1/status-pages/{id}",
    summary: "A status page",
    tag: "Status pages",
    definition: getStatusPageRead,
    success: { status: 200, description: "The page, with its incidents", schema: page },
    example: { path: { id: "PAGE_ID" } },
  },
  {
    method: "patch",
    path: "/api/v1/status-pages/{id}",
    summary: "Change a status page",
    description: "Any subset of the POST fields; `groups`, when sent, replaces all of them. `logoUrl` or `footer` null removes it.",
    tag: "Status pages",
    definition: updateStatusPageAction,
    success: { status: 200, description: "The page after the change", schema: page },
    conflict: "Another page has that slug",
    example: { path: { id: "PAGE_ID" }, body: { title: "Acme service status", showTargets: false } },
  },
  {
    method: "delete",
    path: "/api/v1/status-pages/{id}",
    summary: "Remove a status page",
    description: "Its groups and incidents go with it; the monitors stay.",
    tag: "Status pages",
    definition: deleteStatusPageAction,
    success: { status: 200, description: "Removed", schema: deleted },
    example: { path: { id: "PAGE_ID" } },
  },
  {
    method: "post",
    path: "/api/v1/status-pages/{id}/incidents",
    summary: "Post an incident",
    description: "An incident on the page with its first update: `state` is investigating (default), identified, monitoring or resolved; `body` is what the public reads.",
    tag: "Status pages",
    definition: createIncidentAction,
    success: { status: 201, description: "The incident", schema: incident },
    example: { path: { id: "PAGE_ID" }, body: { title: "Checkout errors", state: "investigating", body: "Some payments fail; we are looking into it." } },
  },
  {
    method: "patch",
    path: "/api/v1/status-pages/{id}/incidents/{incidentId}",
    summary: "Update an incident",
    description: "A new `title`, and/or an update appended to its history (`body`, with `state`; the state stays when left out). Resolved stamps `resolvedAt`.",
    tag: "Status pages",
    definition: updateIncidentAction,
    success: { status: 200, description: "The incident with all its updates, newest first", schema: incident },
    example: { path: { id: "PAGE_ID", incidentId: "INCIDENT_ID" }, body: { state: "resolved", body: "Payments work again." } },
  },
  {
    method: "delete",
    path: "/api/v1/status-pages/{id}/incidents/{incidentId}",
    summary: "Remove an incident",
    tag: "Status pages",
    definition: deleteIncidentAction,
    success: { status: 200, description: "Removed", schema: deleted },
    example: { path: { id: "PAGE_ID", incidentId: "INCIDENT_ID" } },
  },
  {
    method: "get",
    path: "/api/public/status/{slug}",
    summary: "A status page as JSON (no sign-in)",
    description: "What `/status/{slug}` shows: each group's monitors with their status and 90-day uptime (percent, null without checks), incidents with their updates, upcoming maintenance. Served from a 5-second cache.",
    tag: "Status pages",
    definition: null,
    operationId: "status_page.public",
    success: { status: 200, description: "The page", schema: publicStatus },
    other: [{ status: 404, description: "No page has that slug" }],
  },
  {
    method: "get",
    path: "/api/public/status/{slug}/badge.svg",
    summary: "A status page's badge (no sign-in)",
    tag: "Status pages",
    definition: null,
    operationId: "status_page.badge",
    success: badge,
    other: [{ status: 404, description: "No page has that slug (a grey badge says so)" }],
  },
  {
    method: "get",
    path: "/api/public/monitors/{id}/badge.svg",
    summary: "A monitor's badge (no sign-in)",
    description: "Its status and 90-day uptime, under the name its status page gives it; only for monitors shown on some status page.",
    tag: "Status pages",
    definition: null,
    operationId: "monitor.badge",
    success: badge,
    other: [{ status: 404, description: "The monitor is on no status page (a grey badge says so)" }],
  },
];
