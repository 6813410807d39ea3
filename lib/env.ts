import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/**
 * The environment, parsed once. Nothing else in the code base reads process.env for settings.
 * A bad value stops start-up with one line naming the variable and the problem.
 */
const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  DECKHAND_SECRET: z.string().min(32, "must be at least 32 characters (try: openssl rand -base64 48)").optional(),
  DECKHAND_DATA_DIR: z.string().default(".data"),
  /** Next.js build folder; tests use their own. */
  DECKHAND_DIST_DIR: z.string().default(".next"),
  DECKHAND_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DECKHAND_HOST: z.string().default("0.0.0.0"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  NEXTAUTH_URL: z.string().url().optional(),
  /**
   * Where people reach Deckhand (https://deckhand.example.com; alerts link under it, and carry no links while it is unset). A request that
   * changes anything must come from this origin, and https here turns on HSTS and Secure cookies. Unset: each request's own
   * scheme and Host are Deckhand's origin.
   */
  DECKHAND_PUBLIC_URL: z
    .string()
    .url()
    .refine((v) => /^https?:$/.test(new URL(v).protocol), "must be an http:// or https:// URL")
    .optional(),
  /** The largest request body the web process takes (bytes); a larger one gets 413 before any of it is read. */
  DECKHAND_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024 * 1024)
    .default(1024 * 1024),
  /** A session ends this long after sign-in, however active (fractions allowed). */
  DECKHAND_SESSION_MAX_AGE_HOURS: z.coerce.number().positive().max(8760).default(168),
  /** A session unused this long ends (fractions allowed: tests use seconds). */
  DECKHAND_SESSION_IDLE_MINUTES: z.coerce.number().positive().max(525_600).default(720),
  /** Trust X-Forwarded-For for the client address (set when behind a reverse proxy). */
  DECKHAND_TRUST_PROXY: z
    .enum(["true", "false", "1", "0"])
    .default("false")
    .transform((v) => v === "true" || v === "1"),
  DECKHAND_SSH_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(500).default(10_000),
  DECKHAND_STEP_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(900),
  DECKHAND_DEPLOY_LOG_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(5 * 1024 * 1024),
  /** Deploy health check: attempts and the pause between them (from the target, against the app's health URL). */
  DECKHAND_HEALTH_RETRIES: z.coerce.number().int().min(1).max(100).default(10),
  DECKHAND_HEALTH_RETRY_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
  /** Release verdict: every soak lasts this many seconds instead of its environment's soakMinutes (for tests and demos; unset in production). */
  DECKHAND_SOAK_SECONDS_OVERRIDE: z.coerce.number().int().min(1).max(86_400).optional(),
  /** A running deploy whose worker has not reported for this long is marked interrupted and its lock freed. */
  DECKHAND_DEPLOY_STALE_SECONDS: z.coerce.number().int().min(5).max(600).default(30),
  DECKHAND_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** Monitors: checks running at once per worker (they wait on the network, not the CPU). */
  DECKHAND_MONITOR_CONCURRENCY: z.coerce.number().int().min(1).max(5000).default(256),
  /** Raw check results are kept this long; minute/hour/day rollups for the rollup retention. */
  DECKHAND_MONITOR_RAW_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(14),
  DECKHAND_MONITOR_ROLLUP_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(400),
  /** Minute rollups are as many rows as raw results for 60 s monitors: kept as long as raw results by default; hour and day rollups carry the long range (issue 16). */
  DECKHAND_MONITOR_MINUTE_ROLLUP_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(14),
  /** true: GET /metrics answers anyone who reaches the web port; false: it needs an API token (any role) or a session. */
  DECKHAND_METRICS_PUBLIC: z
    .enum(["true", "false", "1", "0"], { error: "must be true or false" })
    .default("false")
    .transform((v) => v === "true" || v === "1"),
});

/** Every variable Deckhand reads (docs/deploy.md's reference table is checked against this list). */
export const ENV_VARIABLES: readonly string[] = Object.keys(schema.shape);

export type Env = z.infer<typeof schema> & { DECKHAND_SECRET: string; dataDir: string };

export class ConfigError extends Error {
  override name = "ConfigError";
}

function formatIssue(issue: z.core.$ZodIssue): string {
  const variable = issue.path.join(".") || "environment";
  return `Invalid configuration: ${variable} ${issue.message}`;
}

/** Where a development secret lives when DECKHAND_SECRET is unset. */
export function devSecretFile(dataDir: string): string {
  return path.join(dataDir, "secret");
}

/** In development a missing secret is generated once into the data dir; production must supply it. */
function resolveSecret(parsed: z.infer<typeof schema>, dataDir: string): { secret: string; generated: boolean } {
  if (parsed.DECKHAND_SECRET) return { secret: parsed.DECKHAND_SECRET, generated: false };
  if (parsed.NODE_ENV === "production") {
    throw new ConfigError("Invalid configuration: DECKHAND_SECRET is required when NODE_ENV=production (generate one with: openssl rand -base64 48)");
  }
  const file = devSecretFile(dataDir);
  if (existsSync(file)) return { secret: readFileSync(file, "utf8").trim(), generated: false };
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString("base64url");
  writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
  return { secret, generated: true };
}

/** An empty variable counts as unset (systemd EnvironmentFile and shells make those easily). */
function withoutEmpty(source: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ""));
}

export type Settings = z.infer<typeof schema>;

export interface EnvInspection {
  /** One line per problem, each naming its variable (the same wording start-up stops with). */
  problems: string[];
  /** The variables those problems are about. */
  invalid: string[];
  /** What the process would run with if the invalid variables were unset (their defaults). */
  settings: Settings;
}

/**
 * Every problem at once, for `deckhand doctor`; unlike parseEnv it throws nothing and writes nothing
 * (no development secret is generated), so a diagnosis never changes the machine it looks at.
 */
export function inspectEnv(source: Record<string, string | undefined>): EnvInspection {
  const cleaned = withoutEmpty(source);
  const result = schema.safeParse(cleaned);
  if (result.success) return { problems: [], invalid: [], settings: result.data };
  const invalid = [...new Set(result.error.issues.map((i) => String(i.path[0] ?? "environment")))];
  const rest = Object.fromEntries(Object.entries(cleaned).filter(([k]) => !invalid.includes(k)));
  const fallback = schema.safeParse(rest);
  return { problems: result.error.issues.map(formatIssue), invalid, settings: fallback.success ? fallback.data : schema.parse({}) };
}

export function parseEnv(source: NodeJS.ProcessEnv): Env & { secretGenerated: boolean } {
  const cleaned = withoutEmpty(source);
  const result = schema.safeParse(cleaned);
  if (!result.success) throw new ConfigError(formatIssue(result.error.issues[0]!));
  const dataDir = path.resolve(result.data.DECKHAND_DATA_DIR);
  const { secret, generated } = resolveSecret(result.data, dataDir);
  return { ...result.data, DECKHAND_SECRET: secret, dataDir, secretGenerated: generated };
}

let cached: (Env & { secretGenerated: boolean }) | undefined;

export function env(): Env & { secretGenerated: boolean } {
  cached ??= parseEnv(process.env);
  return cached;
}

const logSchema = z.object({
  LOG_LEVEL: schema.shape.LOG_LEVEL,
  /** The CLI keeps stdout for its answer (a token, a report) and logs to stderr. */
  DECKHAND_LOG_STDERR: z.enum(["1", "0"]).default("0"),
});

/** Logging settings alone: safe to read at import time, even during `next build` where no secret exists. */
export function logEnv(): z.infer<typeof logSchema> {
  const parsed = logSchema.safeParse(process.env);
  return parsed.success ? parsed.data : { LOG_LEVEL: "info", DECKHAND_LOG_STDERR: "0" };
}

/** Every variable this file reads: ENV_VARIABLES and the logging ones (.env.example lists these, with these defaults). */
export const ALL_ENV_VARIABLES: readonly string[] = [...new Set([...ENV_VARIABLES, ...Object.keys(logSchema.shape)])];

/** The default of each variable in ALL_ENV_VARIABLES, as written in the environment (undefined: none). */
export function envDefaults(): Record<string, string | undefined> {
  const settings: Record<string, unknown> = { ...schema.parse({}), ...logSchema.parse({}) };
  return Object.fromEntries(ALL_ENV_VARIABLES.map((k) => [k, settings[k] === undefined ? undefined : String(settings[k])]));
}
