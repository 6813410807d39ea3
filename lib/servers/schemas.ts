import { z } from "zod";

/** Server inputs shared by the API routes and the server actions: one schema each, one source of truth. */

const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

export const hostSchema = z
  .string()
  .trim()
  .min(1, "is required")
  .max(253)
  .regex(/^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$|^[0-9a-fA-F:.]+$/, "must be a hostname or an IP address");

export const fingerprintSchema = z.string().trim().regex(FINGERPRINT, "must be an OpenSSH SHA256 fingerprint (SHA256: followed by 43 characters)");

/** The name of a server or an app, as people type and read it. */
export const nameSchema = z
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
  username: z
    .string()
    .trim()
    .regex(/^[a-z_][a-z0-9_.-]{0,31}$/, "must be a valid unix user name"),
  privateKey: z.string().max(20_000).optional(),
};

export const serverInputSchema = z.object({
  ...serverFields,
  port: serverFields.port.default(22),
  generateKey: z.boolean().optional(),
  hostKeyFingerprint: fingerprintSchema.optional().or(z.literal("").transform(() => undefined)),
});
export type ServerInput = z.infer<typeof serverInputSchema>;

/** PATCH: any subset; `privateKey` or `generateKey: true` rotates the key. */
export const serverUpdateSchema = z
  .object(serverFields)
  .partial()
  .extend({ serverId: z.string().min(1).max(64), generateKey: z.boolean().optional() });
