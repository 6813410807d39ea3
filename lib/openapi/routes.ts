import type { z } from "zod";
import type { Permission } from "../auth/permissions";
import { createAppAction, deleteAppAction, removeEnvVarAction, setEnvVarAction } from "../actions/apps";
import { cancelDeployAction, startDeployAction, startRollbackAction } from "../actions/deploys";
import { createServerAction } from "../actions/servers";
import { deployLogRead, deployStreamRead, exportAuditRead, getDeployRead, listAppsRead, listAuditRead, listChangesRead, listDeploysRead, listEnvRead, listReleasesRead, listServersRead } from "../actions/reads";
import { ALERT_ROUTES } from "./alert-routes";
import { APPROVAL_ROUTES } from "./approval-routes";
import { INCIDENT_ROUTES } from "./incident-routes";
import { MANAGE_ROUTES } from "./manage-routes";
import { MONITOR_ROUTES } from "./monitor-routes";
import { PUSH_ROUTES } from "./push-routes";
import { ENVIRONMENT_ROUTES } from "./environment-routes";
import { STATUS_PAGE_ROUTES } from "./status-page-routes";
import { HEARTBEAT_ROUTES } from "./heartbeat-routes";
import type { JsonSchema } from "./json-schema";

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

export type Tag = "System" | "Servers" | "Apps" | "Deploys" | "Audit" | "Monitors" | "Alerts" | "Users" | "Status pages";

export interface RouteResponse {
  /** 204: no body (schema and mediaType are ignored). */
  status: 200 | 201 | 202 | 204;
  description: string;
  /** Media type of the answer; application/json unless said otherwise. */
  mediaType?: "application/json" | "text/plain" | "text/event-stream" | "text/csv" | "image/svg+xml";
  /** A component schema name (see SCHEMAS in document.ts) or an inline schema. */
  schema?: string | JsonSchema;
}

export interface ApiRoute {
  method: HttpMethod;
  /** The OpenAPI path: {appId} where the route folder says [appId]. */
  path: string;
  summary: string;
  description?: string;
  tag: Tag;
  /**
   * The definition the route itself runs (an action, or a read): name, permission and the zod input that
   * validates the request. null only for routes anyone may call (health, this document).
   */
  definition: { name: string; permission: Permission; input: z.ZodType } | null;
  success: RouteResponse;
  /** Another success answer the same route may give (DELETE /api/v1/apps/{appId}: 204, or 202 with removeReleases). */
  alsoSuccess?: RouteResponse[];
  /**
   * Input fields a route without a body takes as query parameters (a DELETE's flag); every other field of a
   * mutating route is in its JSON body.
   */
  query?: string[];
  /** When a 409 can happen, and why. */
  conflict?: string;
  /** Extra documented answers beyond the ones the definition implies. */
  other?: { status: 400 | 401 | 404 | 409 | 502 | 503; description: string; schema?: string }[];
  /** An open route's operationId (a defined route's is its definition's name). */
  operationId?: string;
  /** An open route's JSON body (a defined route's comes from its zod input). */
  openBody?: JsonSchema;
  /** A request that passes validation: shown in the document and as the page's curl example. */
  example?: { path?: Record<string, string>; query?: Record<string, string>; body?: Record<string, unknown> };
}

const EXAMPLE_FINGERPRINT = "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s";

/**
 * Every route under app/api/v1 (plus /api/health), each with the very definition its handler was built
 * from. lib/openapi/document.test.ts checks this list against the route files, both ways.
 */
export const API_ROUTES: ApiRoute[] = [
  {
    method: "get",
    path: "/api/health",
    summary: "Deckhand's own health",
    description: "A real query against PostgreSQL with a short timeout, and whether a worker is alive (a web process without one still answers 200). For load balancers and `curl -fsS` in deploy scripts.",
    tag: "System",
    definition: null,
    success: { status: 200, description: "Web process and database are up", schema: "Health" },
    other: [{ status: 503, description: "The database does not answer", schema: "Health" }],
  },
  {
    method: "get",
    path: "/api/v1/openapi.json",
    summary: "This OpenAPI 3.1 document",
    description: "Generated from the same zod schemas that validate each request. No sign-in needed: it describes the API, not your data.",
    tag: "System",
    definition: null,
    success: { status: 200, description: "The OpenAPI document", schema: { type: "object" } },
  },
  {
    method: "get",
    path: "/api/v1/servers",
    summary: "List servers",
    description: "Each server with its pinned host key fingerprint and status, its SSH key's public half, and the apps that target it. Private keys never leave the server.",
    tag: "Servers",
    definition: listServersRead,
    success: { status: 200, description: "Servers, by name", schema: { type: "array", items: { $ref: "#/components/schemas/Server" } } },
  },
  {
    method: "post",
    path: "/api/v1/servers",
    summary: "Add a server",
    description:
      "Paste a private key (`privateKey`) or set `generateKey` to get a new ed25519 key whose public half is in the answer (`publicKey`): install it in the server's `authorized_keys`. Give `hostKeyFingerprint` to pin the host key now; otherwise verify and pin it before the first deploy.",
    tag: "Servers",
    definition: createServerAction,
    success: { status: 201, description: "The server, with `publicKey` to install on it", schema: "Server" },
    conflict: "A server with that name exists",
    example: { body: { name: "web-1", host: "203.0.113.10", port: 22, username: "deploy", generateKey: true, hostKeyFingerprint: EXAMPLE_FINGERPRINT } },
  },
  {
    method: "get",
    path: "/api/v1/apps",
    summary: "List apps",
    description: "Each app with its current release and last deploy.",
    tag: "Apps",
    definition: listAppsRead,
    success: { status: 200, description: "Apps, by name", schema: { type: "array", items: { type: "object", properties: { id: { type: "string" }, name: { type: "string" } }, required: ["id", "name"] } } },
  },
  {
    method: "post",
    path: "/api/v1/apps",
    summary: "Add an app",
    description:
      "Commands run in the release folder on every target server, in order: install, build, smoke (before anything is switched), then restart after the switch. `healthUrl` is checked from each server. `env` values are encrypted at rest and written to `shared/.env` (mode 0600).",
    tag: "Apps",
    definition: createAppAction,
    success: { status: 201, description: "The app", schema: "App" },
    conflict: "An app with that name exists",
    example: {
      body: {
        name: "shop",
        repoUrl: "https://git.example.com/acme/shop.git",
        deployPath: "/srv/shop",
        keepReleases: 5,
        installCommand: "npm ci",
        buildCommand: "npm run build",
        smokeCommand: "node -e \"require('./dist/server.js')\"",
        restartCommand: "sudo systemctl restart shop",
        healthUrl: "http://127.0.0.1:8080/health",
        serverIds: ["SERVER_ID"],
        strategy: "rolling",
        batchSize: 1,
        env: { NODE_ENV: "production" },
      },
    },
  },
  {
    method: "delete",
    path: "/api/v1/apps/{appId}",
    summary: "Delete an app",
    description:
      "The app goes with its variables, releases and deploys (their audit events stay), and its monitors. `removeReleases=true` first removes `releases/`, `current` and `shared/` under its deploy path from every target server over SSH (nothing else there is touched); the app is deleted only when every server succeeded. Without it, the files stay on the servers.",
    tag: "Apps",
    definition: deleteAppAction,
    query: ["removeReleases"],
    success: { status: 204, description: "Deleted (its files left on the servers)" },
    alsoSuccess: [{ status: 202, description: "Deleted, and its releases removed from every target server (`servers` lists them)", schema: "DeletedApp" }],
    conflict: "A deploy or rollback of the app is queued or running (the message names who holds it)",
    other: [{ status: 502, description: "Removing its releases failed on one or more servers (the message names them and why); the app was not deleted" }],
    example: { path: { appId: "APP_ID" }, query: { removeReleases: "true" } },
  },
  {
    method: "get",
    path: "/api/v1/apps/{appId}/env",
    summary: "List an app's environment variables",
    description: "Names only: values are write-only and never returned. `?environment=staging`: that environment's variables (default production; each environment has its own).",
    tag: "Apps",
    definition: listEnvRead,
    success: { status: 200, description: "Variables by name", schema: { type: "array", items: { $ref: "#/components/schemas/EnvVar" } } },
    example: { path: { appId: "APP_ID" } },
  },
  {
    method: "put",
    path: "/api/v1/apps/{appId}/env/{key}",
    summary: "Set one environment variable",
    description: "Adds the variable or replaces its value, encrypted at rest; written to `shared/.env` by the next deploy. The value is never returned or audited. `?environment=staging`: that environment's variable (default production).",
    tag: "Apps",
    definition: setEnvVarAction,
    query: ["environment"],
    success: {
      status: 200,
      description: "Set (`created`: it is new)",
      schema: {
        type: "object",
        properties: { appId: { type: "string" }, key: { type: "string" }, environment: { type: "string" }, set: { const: true }, created: { type: "boolean" } },
        required: ["appId", "key", "environment", "set", "created"],
      },
    },
    example: { path: { appId: "APP_ID", key: "DATABASE_URL" }, body: { value: "postgres://shop@db/shop" } },
  },
  {
    method: "delete",
    path: "/api/v1/apps/{appId}/env/{key}",
    summary: "Remove one environment variable",
    description: "404 when the app has no variable by that name. Gone from `shared/.env` with the next deploy.",
    tag: "Apps",
    definition: removeEnvVarAction,
    query: ["environment"],
    success: { status: 204, description: "Removed" },
    example: { path: { appId: "APP_ID", key: "DATABASE_URL" } },
  },
  {
    method: "get",
    path: "/api/v1/apps/{appId}/deploys",
    summary: "List an app's deploys and rollbacks",
    description: "The 50 newest, newest first.",
    tag: "Deploys",
    definition: listDeploysRead,
    success: { status: 200, description: "Deploys, newest first", schema: { type: "array", items: { type: "object" } } },
    example: { path: { appId: "APP_ID" } },
  },
  {
    method: "post",
    path: "/api/v1/apps/{appId}/deploys",
    summary: "Deploy a branch, tag or commit",
    description:
      'The ref is resolved once to a commit; the deploy is queued and answered at once. Follow it with GET /api/v1/deploys/{deployId} or its stream. `environment` (default production) names where it goes; one deploy or rollback runs per environment at a time. `override: {reason}` (admin) deploys into a frozen environment. When the environment requires approval the answer is `{id, status: "awaiting_approval"}`: it takes no lock and runs only once another deployer approves it.',
    tag: "Deploys",
    definition: startDeployAction,
    success: { status: 202, description: "Queued, or awaiting approval", schema: "Accepted" },
    conflict: "Another deploy or rollback of this app is queued or running (the message names who holds it)",
    example: { path: { appId: "APP_ID" }, body: { ref: "main" } },
  },
  {
    method: "post",
    path: "/api/v1/apps/{appId}/rollbacks",
    summary: "Roll back to a retained release",
    description: "Without `releaseId`, the previous successful release. Switch, restart, health check; the release must still exist on every target server.",
    tag: "Deploys",
    definition: startRollbackAction,
    success: { status: 202, description: "Queued", schema: "Accepted" },
    conflict: "Another deploy or rollback of this app is queued or running",
    example: { path: { appId: "APP_ID" }, body: { releaseId: "RELEASE_ID" } },
  },
  {
    method: "get",
    path: "/api/v1/apps/{appId}/releases",
    summary: "List an app's releases",
    description: "The 100 newest; `current` marks the one `current` points at.",
    tag: "Deploys",
    definition: listReleasesRead,
    success: { status: 200, description: "Releases, newest first", schema: { type: "array", items: { $ref: "#/components/schemas/Release" } } },
    example: { path: { appId: "APP_ID" } },
  },
  {
    method: "get",
    path: "/api/v1/apps/{appId}/changes",
    summary: "What a deploy or rollback would change",
    description:
      "The commits between the current release and `to` (a release id of this app, a branch, a tag, or a 7–40 character commit SHA), newest first, at most 50; `total` counts them all. `direction` says whether `to` is ahead (a deploy adds the commits) or behind (a rollback takes them away). Read with git on the app's first server, in its fetch cache. `compareUrl` links to github.com, gitlab.com or bitbucket.org when the repository is there.",
    tag: "Deploys",
    definition: listChangesRead,
    success: { status: 200, description: "The commits between the two", schema: "Changes" },
    other: [{ status: 503, description: "The app's first server could not be reached, or git there failed", schema: "Error" }],
    example: { path: { appId: "APP_ID" }, query: { to: "main" } },
  },
  {
    method: "post",
    path: "/api/v1/deploys/{deployId}/cancel",
    summary: "Cancel a deploy or rollback",
    description: "A queued one is cancelled at once; a running one stops at the next step boundary (its remote command is killed), and a switched release is put back.",
    tag: "Deploys",
    definition: cancelDeployAction,
    success: { status: 202, description: "Cancelled, or cancelling", schema: "Accepted" },
    conflict: "It already ended",
    example: { path: { deployId: "DEPLOY_ID" } },
  },
  {
    method: "get",
    path: "/api/v1/deploys/{deployId}",
    summary: "A deploy's state and steps",
    tag: "Deploys",
    definition: getDeployRead,
    success: { status: 200, description: "The deploy", schema: "Deploy" },
    example: { path: { deployId: "DEPLOY_ID" } },
  },
  {
    method: "get",
    path: "/api/v1/deploys/{deployId}/log",
    summary: "A deploy's whole log so far",
    description:
      "stdout, stderr and Deckhand's own lines in the order they arrived. `ansi=strip` (the default) removes terminal colour codes; `ansi=keep` keeps them (for `less -R`). `download=true` answers with `Content-Disposition: attachment` and a file name naming the app and deploy.",
    tag: "Deploys",
    definition: deployLogRead,
    success: { status: 200, description: "Plain text", mediaType: "text/plain", schema: { type: "string" } },
    example: { path: { deployId: "DEPLOY_ID" } },
  },
  {
    method: "get",
    path: "/api/v1/deploys/{deployId}/stream",
    summary: "Follow a deploy live",
    description: "Server-sent events: the state and every log line as they happen, from any web replica, until the deploy ends.",
    tag: "Deploys",
    definition: deployStreamRead,
    success: { status: 200, description: "An event stream", mediaType: "text/event-stream", schema: { type: "string" } },
    example: { path: { deployId: "DEPLOY_ID" } },
  },
  {
    method: "get",
    path: "/api/v1/audit",
    summary: "Search the audit log",
    description: "Newest first. `action` matches exactly or as a prefix ending in `.` or `*`; `target` is `<id or name>`, `<type>:<id or name>` or `<type>:`. Page with `cursor` = the previous answer's `nextCursor`.",
    tag: "Audit",
    definition: listAuditRead,
    success: {
      status: 200,
      description: "A page of events, each with the `details` it recorded",
      schema: { type: "object", properties: { events: { type: "array", items: { $ref: "#/components/schemas/AuditEvent" } }, nextCursor: { type: ["string", "null"] } }, required: ["events", "nextCursor"] },
    },
    example: { query: { action: "deploy.", outcome: "failure", limit: "50" } },
  },
  {
    method: "get",
    path: "/api/v1/audit/export",
    summary: "Export the audit log",
    description: "The same filter as the search, as a CSV or JSON download, newest first, up to the cap in the X-Deckhand-Export-Cap header.",
    tag: "Audit",
    definition: exportAuditRead,
    success: { status: 200, description: "A file download (CSV, or JSON with `format=json`)", mediaType: "text/csv", schema: { type: "string" } },
    example: { query: { format: "csv", from: "2026-11-01" } },
  },
  ...MONITOR_ROUTES,
  ...HEARTBEAT_ROUTES,
  ...ALERT_ROUTES,
  ...MANAGE_ROUTES,
  ...PUSH_ROUTES,
  ...APPROVAL_ROUTES,
  ...ENVIRONMENT_ROUTES,
  ...STATUS_PAGE_ROUTES,
  ...INCIDENT_ROUTES,
];
