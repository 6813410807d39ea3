import { createEnvironmentAction, createFreezeAction, deleteEnvironmentAction, deleteFreezeAction, startPromotionAction, updateEnvironmentAction } from "../actions/environments";
import { getEnvironmentRead, listEnvironmentsRead, listFreezesRead } from "../actions/reads";
import type { JsonSchema } from "./json-schema";
import type { ApiRoute } from "./routes";

const environment: JsonSchema = {
  type: "object",
  properties: {
    id: { type: "string" },
    name: { type: "string" },
    position: { type: "integer", description: "Promotion order (production: 100)" },
    healthUrl: { type: ["string", "null"], description: "null: the app's" },
    strategy: { type: ["string", "null"], description: "parallel | rolling; null: the app's" },
    batchSize: { type: ["integer", "null"], description: "null: the app's" },
    requireApproval: { type: "boolean" },
    approvalTtlMinutes: { type: "integer" },
    soakMinutes: { type: "integer" },
    verdict: { enum: ["off", "alert", "rollback"] },
    verdictMaxErrorRateIncrease: { type: "number" },
    verdictMaxLatencyRatio: { type: "number" },
    servers: { type: "array", items: { type: "object", properties: { id: { type: "string" }, name: { type: "string" } }, required: ["id", "name"] } },
    current: { type: ["object", "null"], description: "The release `current` points at on its servers" },
    lockedBy: { type: ["object", "null"], description: "The queued or running deploy holding its lock" },
    frozen: { type: ["object", "null"], description: "The freeze window in force: {id, until, reason}" },
  },
  required: ["id", "name", "position", "requireApproval", "soakMinutes", "verdict", "servers"],
};

const freeze: JsonSchema = {
  type: "object",
  properties: { id: { type: "string" }, startsAt: { type: "string", format: "date-time" }, endsAt: { type: "string", format: "date-time" }, reason: { type: "string" }, createdBy: { type: "string" } },
  required: ["id", "startsAt", "endsAt", "reason", "createdBy"],
};

const envPath = { appId: "APP_ID", name: "staging" };

/** Environments, promotion and freeze windows (issue 15). Listed in API_ROUTES. */
export const ENVIRONMENT_ROUTES: ApiRoute[] = [
  {
    method: "get",
    path: "/api/v1/apps/{appId}/environments",
    summary: "List an app's environments",
    description: "In promotion order, each with its servers, current release, lock holder and freeze.",
    tag: "Apps",
    definition: listEnvironmentsRead,
    success: { status: 200, description: "Environments", schema: { type: "array", items: environment } },
    example: { path: { appId: "APP_ID" } },
  },
  {
    method: "post",
    path: "/api/v1/apps/{appId}/environments",
    summary: "Add an environment",
    description: "Its own servers (a server serves one environment of an app), variables, health URL, rollout, lock, approval and verdict policy. Unset overrides use the app's values.",
    tag: "Apps",
    definition: createEnvironmentAction,
    success: { status: 201, description: "Created", schema: environment },
    conflict: "The app already has an environment with that name",
    example: { path: { appId: "APP_ID" }, body: { name: "staging", serverIds: ["SERVER_ID"], requireApproval: false, soakMinutes: 5, verdict: "off", position: 10 } },
  },
  {
    method: "get",
    path: "/api/v1/apps/{appId}/environments/{name}",
    summary: "Get an environment",
    tag: "Apps",
    definition: getEnvironmentRead,
    success: { status: 200, description: "The environment", schema: environment },
    example: { path: envPath },
  },
  {
    method: "patch",
    path: "/api/v1/apps/{appId}/environments/{name}",
    summary: "Change an environment",
    description: "Any subset of the fields; `serverIds` replaces its servers.",
    tag: "Apps",
    definition: updateEnvironmentAction,
    success: { status: 200, description: "Changed", schema: environment },
    example: { path: envPath, body: { requireApproval: true } },
  },
  {
    method: "delete",
    path: "/api/v1/apps/{appId}/environments/{name}",
    summary: "Remove an environment",
    description: "Its servers stop serving the app's environment (their files stay). Production cannot be removed.",
    tag: "Apps",
    definition: deleteEnvironmentAction,
    success: { status: 204, description: "Removed" },
    conflict: "It is production, or a deploy to it is queued or running",
    example: { path: envPath },
  },
  {
    method: "post",
    path: "/api/v1/apps/{appId}/promotions",
    summary: "Promote the commit running in one environment to another",
    description: "Deploys the exact commit `current` in `from` to `to` (a new release on `to`'s servers with `to`'s variables); its history says it was promoted. `override: {reason}` (admin) deploys into a frozen environment.",
    tag: "Deploys",
    definition: startPromotionAction,
    success: { status: 202, description: "Queued", schema: "Accepted" },
    conflict: "`from` has no current release, `to` is frozen, or a deploy to `to` is queued or running",
    example: { path: { appId: "APP_ID" }, body: { from: "staging", to: "production" } },
  },
  {
    method: "get",
    path: "/api/v1/apps/{appId}/environments/{name}/freezes",
    summary: "List an environment's freeze windows",
    description: "Those not yet over, soonest first.",
    tag: "Apps",
    definition: listFreezesRead,
    success: { status: 200, description: "Freeze windows", schema: { type: "array", items: freeze } },
    example: { path: envPath },
  },
  {
    method: "post",
    path: "/api/v1/apps/{appId}/environments/{name}/freezes",
    summary: "Freeze an environment",
    description: "From `startsAt` (default now) to `endsAt`, deploys, promotions and rollbacks to it are refused (409 naming the end and the reason) unless an admin sends `override: {reason}`.",
    tag: "Apps",
    definition: createFreezeAction,
    success: { status: 201, description: "Created", schema: freeze },
    example: { path: envPath, body: { endsAt: "2026-12-27T00:00:00Z", reason: "holiday freeze" } },
  },
  {
    method: "delete",
    path: "/api/v1/apps/{appId}/environments/{name}/freezes/{freezeId}",
    summary: "End a freeze window",
    tag: "Apps",
    definition: deleteFreezeAction,
    success: { status: 204, description: "Removed" },
    example: { path: { ...envPath, freezeId: "FREEZE_ID" } },
  },
];
