import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { decryptSecret, encryptSecret } from "../crypto/secretbox";
import type { Db, Tx } from "../db/client";
import { gitRefSchema } from "./refs";
import { NotFoundError } from "../errors";
import { resolveEnvironment } from "../apps/environments";

/** The environment a hook deploys to, by name (checked against the app's environments when it deploys). */
export const environmentSchema = z
  .string()
  .trim()
  .min(1, "is required")
  .max(40, "is at most 40 characters")
  .regex(/^[a-z0-9][a-z0-9-]*$/, "must be an environment name: lowercase letters, digits and -")
  .default("production");

const branchSchema = gitRefSchema.refine((b) => !/^[0-9a-f]{40}$/.test(b), "must be a branch name, not a commit SHA");
const tagPatternSchema = z
  .string()
  .trim()
  .min(1, "is required")
  .max(100, "is too long")
  .regex(/^[A-Za-z0-9*?][A-Za-z0-9._/*?-]*$/, "must be a tag glob such as v* or release-?.* (letters, digits, . _ / - * ?)");

export const webhookInputSchema = z
  .object({
    appId: z.string().min(1, "is required").max(64),
    branch: branchSchema.optional(),
    tagPattern: tagPatternSchema.optional(),
    environment: environmentSchema,
  })
  .refine((v) => (v.branch === undefined) !== (v.tagPattern === undefined), { message: "give exactly one of branch and tagPattern", path: ["branch"] });

export const deployHookInputSchema = z.object({
  appId: z.string().min(1, "is required").max(64),
  name: z
    .string()
    .trim()
    .min(1, "is required")
    .max(60, "is at most 60 characters")
    .regex(/^[\w .:-]+$/, "may use letters, digits, space, . : _ -"),
  ref: gitRefSchema,
  environment: environmentSchema,
});

export function hashHookToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** The app, and the environment a hook names checked now (400 naming it), not only when a push arrives. */
async function appNamed(tx: Tx | Db, appId: string, environment: string) {
  const app = await tx.app.findUnique({ where: { id: appId }, select: { id: true, name: true } });
  if (!app) throw new NotFoundError("App");
  await resolveEnvironment(tx, app.id, environment);
  return app;
}

/** Creates the app's webhook, or replaces its settings and rotates its secret: the old secret stops working at once. */
export async function saveWebhook(tx: Tx | Db, input: z.infer<typeof webhookInputSchema>, by: string) {
  const app = await appNamed(tx, input.appId, input.environment);
  const secret = randomBytes(32).toString("hex");
  const fields = { branch: input.branch ?? null, tagPattern: input.tagPattern ?? null, environment: input.environment, encryptedSecret: encryptSecret(secret), createdBy: by };
  const existed = await tx.appWebhook.findUnique({ where: { appId: app.id }, select: { id: true } });
  await tx.appWebhook.upsert({ where: { appId: app.id }, create: { appId: app.id, ...fields }, update: { ...fields, rotatedAt: new Date() } });
  return { app, secret, rotated: existed !== null, branch: fields.branch, tagPattern: fields.tagPattern, environment: fields.environment };
}

export async function createDeployHook(tx: Tx | Db, input: z.infer<typeof deployHookInputSchema>, by: string) {
  const app = await appNamed(tx, input.appId, input.environment);
  const token = `dhk_${randomBytes(32).toString("base64url")}`;
  const row = await tx.deployHook.create({
    data: { appId: app.id, name: input.name, ref: input.ref, environment: input.environment, tokenHash: hashHookToken(token), createdBy: by },
    select: { id: true, name: true, ref: true, environment: true, createdAt: true },
  });
  return { app, token, hook: row };
}

export async function deleteDeployHook(tx: Tx | Db, appId: string, hookId: string) {
  const hook = await tx.deployHook.findFirst({ where: { id: hookId, appId }, select: { id: true, name: true, ref: true, app: { select: { name: true } } } });
  if (!hook) throw new NotFoundError("Deploy hook");
  await tx.deployHook.delete({ where: { id: hook.id } });
  return hook;
}

/** The app's webhook with its secret decrypted (for verifying a delivery), or null. */
export async function webhookForVerifying(client: Tx | Db, appId: string) {
  const row = await client.appWebhook.findUnique({ where: { appId }, select: { branch: true, tagPattern: true, environment: true, encryptedSecret: true, app: { select: { id: true, name: true } } } });
  if (!row) return null;
  const { encryptedSecret, ...rest } = row;
  return { ...rest, secret: decryptSecret(encryptedSecret) };
}

export async function deployHookByToken(client: Tx | Db, token: string) {
  if (!/^dhk_[\w-]{20,100}$/.test(token)) return null;
  return client.deployHook.findUnique({ where: { tokenHash: hashHookToken(token) }, select: { id: true, name: true, ref: true, environment: true, app: { select: { id: true, name: true } } } });
}

/** What the app page shows: the webhook's settings (never its secret) and the deploy hooks (never their tokens). */
export async function pushSettings(client: Tx | Db, appId: string) {
  const [webhook, hooks] = await Promise.all([
    client.appWebhook.findUnique({ where: { appId }, select: { branch: true, tagPattern: true, environment: true, createdAt: true, rotatedAt: true, createdBy: true } }),
    client.deployHook.findMany({ where: { appId }, orderBy: { createdAt: "asc" }, select: { id: true, name: true, ref: true, environment: true, createdAt: true, createdBy: true, lastUsedAt: true } }),
  ]);
  return { webhook, deployHooks: hooks };
}
