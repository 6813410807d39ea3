import { DEPLOY_ENVIRONMENT_FIELDS } from "./environment-fields";
import type { JsonSchema } from "./json-schema";

/** A deploy and its steps, as GET /api/v1/deploys/{id} answers them. */
export const DEPLOY_SCHEMAS: Record<string, JsonSchema> = {
  DeployStep: {
    type: "object",
    properties: {
      id: { type: "string" },
      name: { type: "string" },
      server: { type: ["string", "null"] },
      serverId: { type: ["string", "null"] },
      status: { type: "string" },
      exitCode: { type: ["integer", "null"] },
      startedAt: { type: ["string", "null"], format: "date-time" },
      finishedAt: { type: ["string", "null"], format: "date-time" },
    },
    required: ["id", "name", "server", "serverId", "status", "exitCode", "startedAt", "finishedAt"],
  },
  Deploy: {
    type: "object",
    properties: {
      id: { type: "string" },
      kind: { enum: ["deploy", "rollback"] },
      status: { type: "string", examples: ["awaiting_approval", "queued", "running", "succeeded", "failed", "cancelled", "interrupted", "rejected", "expired"] },
      ref: { type: ["string", "null"] },
      commit: { type: ["string", "null"] },
      releaseId: { type: ["string", "null"] },
      release: { type: ["string", "null"] },
      commitMessage: { type: ["string", "null"], description: "The commit's whole message, as read when its ref was resolved (null for releases built before Deckhand kept it)" },
      commitAuthor: { type: ["string", "null"], description: '"Name <email>", as git shows it' },
      committedAt: { type: ["string", "null"], format: "date-time", description: "The committer date" },
      autoRolledBack: { type: "boolean" },
      cancelRequested: { type: "boolean" },
      error: { type: ["string", "null"] },
      requestedBy: { type: "string" },
      decidedBy: { type: ["string", "null"], description: "Approvals: who approved or rejected the request (null until someone decided)" },
      decidedAt: { type: ["string", "null"], format: "date-time" },
      rejectReason: { type: ["string", "null"], description: "The reason given with a rejection" },
      app: { type: "object", properties: { id: { type: "string" }, name: { type: "string" } }, required: ["id", "name"] },
      createdAt: { type: "string", format: "date-time" },
      startedAt: { type: ["string", "null"], format: "date-time" },
      finishedAt: { type: ["string", "null"], format: "date-time" },
      logTruncated: { type: "boolean" },
      ...DEPLOY_ENVIRONMENT_FIELDS,
      verdict: { oneOf: [{ type: "null" }, { $ref: "#/components/schemas/DeployVerdict" }], description: "The release verdict after the soak (null: none ran)" },
      steps: { type: "array", items: { $ref: "#/components/schemas/DeployStep" } },
    },
    // prettier-ignore
    required: ["id", "kind", "status", "ref", "commit", "releaseId", "release", "commitMessage", "commitAuthor", "committedAt", "autoRolledBack", "cancelRequested", "error", "requestedBy", "decidedBy", "decidedAt", "rejectReason", "app", "createdAt", "startedAt", "finishedAt", "logTruncated", "environment", "promotedFrom", "freezeOverrideReason", "verdict", "steps"],
  },
};
