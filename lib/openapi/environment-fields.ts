import type { JsonSchema } from "./json-schema";

/** Environments (issue 15): what a release and a deploy say about their environment, in the document's schemas. */
export const RELEASE_ENVIRONMENT_FIELDS: Record<string, JsonSchema> = {
  environment: { type: "string", description: "The environment whose deploy built it" },
  promotedFrom: { type: ["string", "null"], description: "The environment its commit was promoted from" },
};

export const DEPLOY_ENVIRONMENT_FIELDS: Record<string, JsonSchema> = {
  environment: { type: "string", description: "The environment it releases to" },
  promotedFrom: { type: ["string", "null"], description: "A promotion: the environment whose current commit it deploys" },
  freezeOverrideReason: { type: ["string", "null"], description: "An admin's reason for deploying into a frozen environment" },
};
