import { z } from "zod";
import { ENV_NAME } from "./layout";

/** Inputs shared by the API routes and the server actions: one schema each, one source of truth. */

const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

export const hostSchema = z
  .string()
  .trim()
  .min(1, "is required")
  .max(253)
  .regex(/^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$|^[0-9a-fA-F:.]+$/, "must be a hostname or an IP address");

export const fingerprintSchema = z.string().trim().regex(FINGERPRINT, "must be an OpenSSH SHA256 fingerprint (SHA256: followed by 43 characters)");

const nameSchema = z
  .string()
  .trim()
  .min(1, "is required")
  .max(60)
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, "may use letters, digits, space, . _ - (starting with a letter or digit)");

/**
 * Fields without defaults: update schemas are `.partial()` of these, and zod 4 applies a default even to an
 * optional field — a default there would silently reset what a partial update did not mention.
 */
const serverFields = {
  name: nameSchema,
  host: hostSchema,
  port: z.coerce.number().int().min(1).max(65535),
  username: z.string().trim().regex(/^[a-z_][a-z0-9_.-]{0,31}$/, "must be a valid unix user name"),
  privateKey: z.string().max(20_000).optional(),
};

export const serverInputSchema = z.object({
  ...serverFields,
  port: serverFields.port.default(22),
  generateKey: z.boolean().optional(),
  hostKeyFingerprint: fingerprintSchema.optional().or(z.literal("").transform(() => undefined)),
});
export type ServerInput = z.infer<typeof serverInputSchema>;

export const serverUpdateSchema = z.object(serverFields).partial().extend({ serverId: z.string().min(1) });

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
