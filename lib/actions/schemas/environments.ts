import { z } from "zod";
import { absolutePath } from "../../apps/schemas";

/** An environment's name: lowercase letters, digits and -, as in URLs and hook settings. */
export const environmentNameSchema = z
  .string()
  .trim()
  .min(1, "is required")
  .max(40, "is at most 40 characters")
  .regex(/^[a-z0-9][a-z0-9-]*$/, "must use lowercase letters, digits and - (such as staging)");

export const freezeOverrideSchema = z.strictObject({ reason: z.string().trim().min(3, "override.reason: say why (at least 3 characters)").max(500, "is at most 500 characters") });

const idSchema = z.string().min(1, "is required").max(64);

/** Every policy field of an environment; null on the overrides means "the app's own value". */
const fields = {
  position: z.number().int("must be a whole number").min(0, "must be at least 0").max(10_000, "must be at most 10000"),
  healthUrl: z
    .url("must be an http(s) URL")
    .max(2_000, "is too long")
    .regex(/^https?:\/\//, "must start with http:// or https://")
    .nullable(),
  strategy: z.enum(["parallel", "rolling"], { error: 'must be "parallel" or "rolling"' }).nullable(),
  batchSize: z.number().int("must be a whole number").min(1, "must be at least 1").max(1_000, "must be at most 1000").nullable(),
  requireApproval: z.boolean(),
  approvalTtlMinutes: z.number().int("must be a whole number").min(1, "must be at least 1").max(43_200, "must be at most 43200 (30 days)"),
  soakMinutes: z.number().int("must be a whole number").min(0, "must be at least 0").max(1_440, "must be at most 1440"),
  verdict: z.enum(["off", "alert", "rollback"], { error: 'must be "off", "alert" or "rollback"' }),
  verdictMaxErrorRateIncrease: z.number().min(0, "must be at least 0").max(100, "must be at most 100"),
  verdictMaxLatencyRatio: z.number().min(1, "must be at least 1").max(100, "must be at most 100"),
  /** Where releases go on this environment's servers (null: the app's deployPath). */
  deployPath: absolutePath.nullable(),
};

const serverIds = z.array(idSchema).max(200, "at most 200 servers");

export const createEnvironmentSchema = z.object({
  appId: idSchema,
  name: environmentNameSchema,
  serverIds,
  requireApproval: fields.requireApproval.default(false),
  soakMinutes: fields.soakMinutes.default(5),
  verdict: fields.verdict.default("off"),
  healthUrl: fields.healthUrl.optional(),
  strategy: fields.strategy.optional(),
  batchSize: fields.batchSize.optional(),
  approvalTtlMinutes: fields.approvalTtlMinutes.optional(),
  verdictMaxErrorRateIncrease: fields.verdictMaxErrorRateIncrease.optional(),
  verdictMaxLatencyRatio: fields.verdictMaxLatencyRatio.optional(),
  position: fields.position.optional(),
  deployPath: fields.deployPath.optional(),
});

export const updateEnvironmentSchema = z.object({
  appId: idSchema,
  name: environmentNameSchema,
  serverIds: serverIds.optional(),
  ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.optional()])),
}) as z.ZodObject<{ appId: typeof idSchema; name: typeof environmentNameSchema; serverIds: z.ZodOptional<typeof serverIds> } & { [K in keyof typeof fields]: z.ZodOptional<(typeof fields)[K]> }>;

export const environmentParams = z.object({ appId: idSchema, name: environmentNameSchema });

export const promotionSchema = z.object({ appId: idSchema, from: environmentNameSchema, to: environmentNameSchema, override: freezeOverrideSchema.optional() });

export const createFreezeSchema = z.object({
  appId: idSchema,
  name: environmentNameSchema,
  startsAt: z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time such as 2026-12-24T00:00:00Z" }).optional(),
  endsAt: z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time such as 2026-12-27T00:00:00Z" }),
  reason: z.string().trim().min(3, "say why (at least 3 characters)").max(500, "is at most 500 characters"),
});

export const freezeParams = environmentParams.extend({ freezeId: idSchema });
