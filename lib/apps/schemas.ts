import { z } from "zod";
import { nameSchema } from "../servers/schemas";
import { MAX_INTERVAL_SECONDS, MIN_INTERVAL_SECONDS } from "../health/monitors";

/** An environment variable's name: what `shared/.env` and the shell both accept. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** App inputs shared by the API routes and the server actions: one schema each, one source of truth. */

export const absolutePath = z
  .string()
  .trim()
  .max(400)
  .regex(/^\/[A-Za-z0-9._@+\/-]*$/, "must be an absolute path of letters, digits and . _ @ + - /")
  .refine((p) => !p.split("/").includes(".."), "must not contain ..")
  .refine((p) => p.replace(/\/+$/, "") !== "", "must not be /");

const repoUrl = z
  .string()
  .trim()
  .min(1, "is required")
  .max(500)
  .refine((u) => !u.startsWith("-"), "must not start with -")
  .refine((u) => !/[\s\0]/.test(u), "must not contain spaces or control characters")
  .refine((u) => /^(https?|ssh|git|file):\/\//.test(u) || /^[\w.-]+@[\w.-]+:/.test(u) || u.startsWith("/"), "must be an https://, ssh://, git://, file:// URL, user@host:path, or an absolute path");

const command = z.string().max(4_000);

/**
 * A per-app override of a global setting: a whole number in range, or null ("" from a form) for "use the
 * global value". A form's digits are read as a number; anything else is refused naming the field.
 */
const nullableOverride = (min: number, max: number, label: string) =>
  z.preprocess(
    (v) => (v === "" ? null : typeof v === "string" && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v),
    z
      .number({ message: `${label} must be a number` })
      .int(`${label} must be a whole number`)
      .min(min, `${label} must be at least ${min}`)
      .max(max, `${label} must be at most ${max}`)
      .nullable(),
  );

const appFields = {
  name: nameSchema,
  repoUrl,
  deployPath: absolutePath,
  keepReleases: z.coerce.number().int().min(1).max(100),
  installCommand: command,
  buildCommand: command,
  smokeCommand: command,
  restartCommand: command,
  healthUrl: z
    .string()
    .trim()
    .url("must be an http(s) URL")
    .regex(/^https?:\/\//, "must be an http(s) URL")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  serverIds: z.array(z.string().min(1)).max(100),
  strategy: z.enum(["parallel", "rolling"]),
  batchSize: z.coerce.number().int().min(1).max(100),
  /** Health-check attempts after a restart; null: DECKHAND_HEALTH_RETRIES. */
  healthRetries: nullableOverride(1, 100, "health check retries"),
  /** Milliseconds between health-check attempts; null: DECKHAND_HEALTH_RETRY_DELAY_MS. */
  healthRetryDelayMs: nullableOverride(0, 60_000, "health check retry delay"),
  /** The app health monitor's interval in seconds; null: 60. */
  monitorIntervalSeconds: nullableOverride(MIN_INTERVAL_SECONDS, MAX_INTERVAL_SECONDS, "monitor interval"),
  env: z.record(z.string().regex(ENV_NAME, "environment variable names are letters, digits and _"), z.string().max(10_000)).optional(),
};

export const appInputSchema = z.object({
  ...appFields,
  keepReleases: appFields.keepReleases.default(5),
  installCommand: command.default(""),
  buildCommand: command.default(""),
  smokeCommand: command.default(""),
  restartCommand: command.default(""),
  serverIds: appFields.serverIds.default([]),
  strategy: appFields.strategy.default("parallel"),
  batchSize: appFields.batchSize.default(1),
  healthRetries: appFields.healthRetries.optional(),
  healthRetryDelayMs: appFields.healthRetryDelayMs.optional(),
  monitorIntervalSeconds: appFields.monitorIntervalSeconds.optional(),
});
export type AppInput = z.infer<typeof appInputSchema>;

export const appUpdateSchema = z
  .object(appFields)
  .partial()
  .extend({ appId: z.string().min(1) });
