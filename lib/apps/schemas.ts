import { z } from "zod";
import { nameSchema } from "../servers/schemas";

/** An environment variable's name: what `shared/.env` and the shell both accept. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** App inputs shared by the API routes and the server actions: one schema each, one source of truth. */

const absolutePath = z
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

const appFields = {
  name: nameSchema,
  repoUrl,
  deployPath: absolutePath,
  keepReleases: z.coerce.number().int().min(1).max(100),
  installCommand: command,
  buildCommand: command,
  smokeCommand: command,
  restartCommand: command,
  healthUrl: z.string().trim().url("must be an http(s) URL").regex(/^https?:\/\//, "must be an http(s) URL").optional().or(z.literal("").transform(() => undefined)),
  serverIds: z.array(z.string().min(1)).max(100),
  strategy: z.enum(["parallel", "rolling"]),
  batchSize: z.coerce.number().int().min(1).max(100),
  env: z
    .record(z.string().regex(ENV_NAME, "environment variable names are letters, digits and _"), z.string().max(10_000))
    .optional(),
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
});
export type AppInput = z.infer<typeof appInputSchema>;

export const appUpdateSchema = z.object(appFields).partial().extend({ appId: z.string().min(1) });
