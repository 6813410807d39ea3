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

export const serverInputSchema = z.object({
  name: nameSchema,
  host: hostSchema,
  port: z.coerce.number().int().min(1).max(65535).default(22),
  username: z.string().trim().regex(/^[a-z_][a-z0-9_.-]{0,31}$/, "must be a valid unix user name"),
  privateKey: z.string().max(20_000).optional(),
  generateKey: z.boolean().optional(),
  hostKeyFingerprint: fingerprintSchema.optional().or(z.literal("").transform(() => undefined)),
});
export type ServerInput = z.infer<typeof serverInputSchema>;

export const serverUpdateSchema = serverInputSchema
  .omit({ generateKey: true, hostKeyFingerprint: true })
  .partial()
  .extend({ serverId: z.string().min(1) });

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

const command = z.string().max(4_000).default("");

export const appInputSchema = z.object({
  name: nameSchema,
  repoUrl,
  deployPath: absolutePath,
  keepReleases: z.coerce.number().int().min(1).max(100).default(5),
  installCommand: command,
  buildCommand: command,
  smokeCommand: command,
  restartCommand: command,
  healthUrl: z.string().trim().url("must be an http(s) URL").regex(/^https?:\/\//, "must be an http(s) URL").optional().or(z.literal("").transform(() => undefined)),
  serverIds: z.array(z.string().min(1)).max(100).default([]),
  strategy: z.enum(["parallel", "rolling"]).default("parallel"),
  batchSize: z.coerce.number().int().min(1).max(100).default(1),
  env: z
    .record(z.string().regex(ENV_NAME, "environment variable names are letters, digits and _"), z.string().max(10_000))
    .optional(),
});
export type AppInput = z.infer<typeof appInputSchema>;

export const appUpdateSchema = appInputSchema.partial().extend({ appId: z.string().min(1) });
