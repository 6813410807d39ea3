import { z } from "zod";

/** The states an incident update can carry, in the order an incident usually passes them. */
export const INCIDENT_STATES = ["investigating", "identified", "monitoring", "resolved"] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];

const MAX_GROUPS = 20;
const MAX_MONITORS_PER_GROUP = 100;
/** A logo as a data: URL is kept in the row; more than this is a photo, not a logo. */
const MAX_LOGO_CHARS = 100_000;

export const slugSchema = z
  .string({ error: "slug is required" })
  .trim()
  .min(1, "slug is required")
  .max(64, "slug: at most 64 characters")
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "slug: lowercase letters, digits and hyphens (not at either end), as in /status/acme-prod");

/**
 * Where the logo comes from: a path on this site ("/brand/logo.svg") or an image as a data: URL. Pages are
 * served under a Content-Security-Policy that loads images only from this site and data: URLs, so another
 * host's image would not show.
 */
const logoUrlSchema = z
  .string()
  .trim()
  .max(MAX_LOGO_CHARS, `logoUrl: at most ${MAX_LOGO_CHARS} characters`)
  .refine((v) => /^\/(?!\/)[^\s"'<>\\]*$/.test(v) || /^data:image\/(png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/=]+$/.test(v), {
    message: "logoUrl: a path on this site (/logo.png) or a data:image/…;base64 URL (the page's security policy loads images from nowhere else)",
  });

const titleSchema = z.string({ error: "title is required" }).trim().min(1, "title is required").max(120, "title: at most 120 characters");
const footerSchema = z.string().trim().max(1_000, "footer: at most 1,000 characters");
const idSchema = z.string().min(1).max(64);

export const groupSchema = z
  .object({
    name: z.string({ error: "name is required" }).trim().min(1, "name is required").max(100, "name: at most 100 characters"),
    monitorIds: z.array(idSchema, { error: "monitorIds must be a list of monitor ids" }).max(MAX_MONITORS_PER_GROUP, `monitorIds: at most ${MAX_MONITORS_PER_GROUP} per group`),
    /** The names the public sees, by monitor id; a monitor left out shows its own name. */
    displayNames: z.record(idSchema, z.string().trim().min(1, "a display name cannot be empty").max(100, "a display name: at most 100 characters")).optional(),
  })
  .refine((g) => new Set(g.monitorIds).size === g.monitorIds.length, { message: "monitorIds: a monitor is listed twice in the group", path: ["monitorIds"] });
export type GroupInput = z.infer<typeof groupSchema>;

const groupsSchema = z.array(groupSchema, { error: "groups must be a list of {name, monitorIds}" }).max(MAX_GROUPS, `groups: at most ${MAX_GROUPS}`);

export const createStatusPageSchema = z.object({
  slug: slugSchema,
  title: titleSchema,
  logoUrl: logoUrlSchema.nullish(),
  footer: footerSchema.nullish(),
  showTargets: z.boolean({ error: "showTargets must be true or false" }).default(false),
  groups: groupsSchema.default([]),
});
export type CreateStatusPageInput = z.infer<typeof createStatusPageSchema>;

/** Any subset; `groups`, when sent, replaces all of them. */
export const updateStatusPageSchema = z.object({
  id: idSchema,
  slug: slugSchema.optional(),
  title: titleSchema.optional(),
  logoUrl: logoUrlSchema.nullish(),
  footer: footerSchema.nullish(),
  showTargets: z.boolean({ error: "showTargets must be true or false" }).optional(),
  groups: groupsSchema.optional(),
});
export type UpdateStatusPageInput = z.infer<typeof updateStatusPageSchema>;

export const statusPageIdSchema = z.object({ id: idSchema });

const stateSchema = z.enum(INCIDENT_STATES, { error: `state must be one of ${INCIDENT_STATES.join(", ")}` });
const bodySchema = z.string({ error: "body is required" }).trim().min(1, "body is required").max(5_000, "body: at most 5,000 characters");

export const createIncidentSchema = z.object({
  id: idSchema,
  title: titleSchema,
  state: stateSchema.default("investigating"),
  body: bodySchema,
});
export type CreateIncidentInput = z.infer<typeof createIncidentSchema>;

/** A new title, and/or an update (state and body) appended to the incident's history. */
export const updateIncidentSchema = z
  .object({
    id: idSchema,
    incidentId: idSchema,
    title: titleSchema.optional(),
    state: stateSchema.optional(),
    body: bodySchema.optional(),
  })
  .refine((v) => v.state === undefined || v.body !== undefined, { message: "body: an update needs its text (what changed)", path: ["body"] })
  .refine((v) => v.title !== undefined || v.body !== undefined, { message: "body: send a title, or an update's body (and state)", path: ["body"] });
export type UpdateIncidentInput = z.infer<typeof updateIncidentSchema>;

export const incidentIdSchema = z.object({ id: idSchema, incidentId: idSchema });
