import { hasRole, type Role } from "../auth/roles";
import { RELEASE_ENVIRONMENT_FIELDS } from "./environment-fields";
import { RULES } from "../auth/permissions";
import { DEPLOY_SCHEMAS } from "./deploy-schemas";
import { VERDICT_SCHEMAS } from "./verdict-schemas";
import { API_ROUTES, type ApiRoute, type RouteResponse, type Tag } from "./routes";
import { hasBodyFields, inputJsonSchema, isObjectSchema, JSON_SCHEMA_DIALECT, propertiesOf, requiredOf, withoutProperties, type JsonSchema } from "./json-schema";

export interface OpenApiParameter {
  name: string;
  in: "path" | "query";
  required: boolean;
  schema: JsonSchema;
  example?: string | number | boolean;
}

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description: string;
  tags: Tag[];
  security: Record<string, string[]>[];
  "x-deckhand-role": Role | null;
  parameters: OpenApiParameter[];
  requestBody?: { required: boolean; content: { "application/json": { schema: JsonSchema; example?: unknown } } };
  responses: Record<string, JsonSchema>;
}

export interface OpenApiDocument {
  openapi: "3.1.0";
  jsonSchemaDialect: string;
  info: { title: string; version: string; description: string };
  servers: { url: string; description: string }[];
  tags: { name: Tag; description: string }[];
  security: Record<string, string[]>[];
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: {
    securitySchemes: Record<string, JsonSchema>;
    schemas: Record<string, JsonSchema>;
    responses: Record<string, JsonSchema>;
  };
}

const ERROR_CODES = ["invalid_input", "target_denied", "unauthenticated", "forbidden", "not_found", "conflict", "rate_limited", "cross_site", "payload_too_large", "unsupported_media_type", "remote_failed", "internal", "unavailable"];

const SCHEMAS: Record<string, JsonSchema> = {
  Error: {
    type: "object",
    description: "Every error answer. `message` is written for a person; `code` is stable for programs.",
    properties: {
      error: {
        type: "object",
        properties: {
          code: { type: "string", examples: ERROR_CODES },
          message: { type: "string" },
          requestId: { type: "string", description: "With 500 and 503: this request's id (always in X-Request-Id too); the server log line with the details has it." },
        },
        required: ["code", "message"],
      },
    },
    required: ["error"],
  },
  Accepted: {
    type: "object",
    description: "A deploy, rollback or cancellation was accepted; follow it at /api/v1/deploys/{id}.",
    properties: { id: { type: "string" }, status: { type: "string", examples: ["queued", "awaiting_approval", "rejected", "cancelled", "cancelling"] }, appId: { type: "string" } },
    required: ["id", "status"],
  },
  EnvVar: {
    type: "object",
    description: "An app's environment variable, by name: its value is write-only.",
    properties: { key: { type: "string" }, set: { const: true }, updatedAt: { type: "string", format: "date-time" } },
    required: ["key", "set", "updatedAt"],
  },
  DeletedApp: {
    type: "object",
    properties: {
      id: { type: "string" },
      name: { type: "string" },
      deleted: { const: true },
      releasesRemoved: { type: "boolean" },
      servers: {
        type: "array",
        items: { type: "object", properties: { serverId: { type: "string" }, server: { type: "string" }, removed: { type: "boolean" }, error: { type: "string" } }, required: ["serverId", "server", "removed"] },
      },
      monitorsRemoved: { type: "array", items: { type: "string" } },
    },
    required: ["id", "name", "deleted", "releasesRemoved", "servers", "monitorsRemoved"],
  },
  Health: {
    type: "object",
    properties: {
      status: { enum: ["ok", "error"] },
      db: { enum: ["ok", "error"] },
      worker: { enum: ["ok", "none", "unknown"], description: "Whether a worker process reported in the last 15 s (unknown while the database is down)" },
    },
    required: ["status", "db", "worker"],
  },
  Server: {
    type: "object",
    description: "An SSH target. Its private key never leaves Deckhand; `publicKey` (on create) is what to install in authorized_keys.",
    properties: {
      id: { type: "string" },
      name: { type: "string" },
      host: { type: "string" },
      port: { type: "integer" },
      username: { type: "string" },
      hostKeyFingerprint: { type: ["string", "null"] },
      hostKeyStatus: { enum: ["unpinned", "pinned", "mismatch"] },
      publicKey: { type: "string" },
    },
    required: ["id", "name", "host", "port", "username", "hostKeyFingerprint", "hostKeyStatus"],
  },
  App: {
    type: "object",
    description: "What is deployed, where and how. Environment values are write-only: only their names come back.",
    properties: {
      id: { type: "string" },
      name: { type: "string" },
      repoUrl: { type: "string" },
      deployPath: { type: "string" },
      keepReleases: { type: "integer" },
      strategy: { enum: ["parallel", "rolling"] },
      batchSize: { type: "integer" },
      healthUrl: { type: ["string", "null"] },
      healthRetries: { type: ["integer", "null"], description: "Health-check attempts after a restart; null: the global setting (DECKHAND_HEALTH_RETRIES)" },
      healthRetryDelayMs: { type: ["integer", "null"], description: "Milliseconds between attempts; null: the global setting (DECKHAND_HEALTH_RETRY_DELAY_MS)" },
      monitorIntervalSeconds: { type: ["integer", "null"], description: "How often the app's health monitor checks; null: 60 s" },
    },
    required: ["id", "name", "repoUrl", "deployPath", "keepReleases", "strategy", "batchSize", "healthUrl", "healthRetries", "healthRetryDelayMs", "monitorIntervalSeconds"],
  },
  Monitor: {
    type: "object",
    properties: {
      id: { type: "string" },
      name: { type: "string" },
      type: { enum: ["http", "tcp", "ssh", "heartbeat", "certificate"] },
      status: { enum: ["up", "down", "pending", "paused", "degraded"], description: "degraded: answering, but slower than `degradedAfterMs` (counts as up for uptime)" },
      intervalSeconds: { type: "integer", description: "How often it is checked; for a heartbeat, how often a beat is expected (unless `cron`)" },
      pushUrl: { type: "string", description: "A heartbeat monitor's push URL (the job calls it; see GET /api/push/{token}): in the answers to its admin's create and change only" },
      certNotAfter: { type: ["string", "null"], format: "date-time", description: "When the certificate its last check saw expires (HTTPS and certificate monitors)" },
      certDaysLeft: { type: ["integer", "null"], description: "Days that certificate has left (rounded up; 0 or less: expired)" },
      inMaintenance: { type: "boolean", description: 'A maintenance window covers it now: the UI shows it as "maintenance" (its checks still run; `status` is what they last said, but they change no status and send no alert)' },
    },
    required: ["id", "name", "type", "status", "intervalSeconds"],
  },
  Release: {
    type: "object",
    properties: {
      id: { type: "string" },
      commit: { type: "string" },
      dir: { type: "string", description: "releases/<UTC timestamp>-<short sha> on every server" },
      createdAt: { type: "string", format: "date-time" },
      current: { type: "boolean" },
      status: { type: "string", examples: ["building", "succeeded", "failed", "cancelled", "removed"] },
      deployedBy: { type: ["string", "null"] },
      ref: { type: ["string", "null"] },
      commitMessage: { type: ["string", "null"], description: "The commit's whole message, as read when its ref was resolved (null for releases built before Deckhand kept it)" },
      commitAuthor: { type: ["string", "null"], description: '"Name <email>", as git shows it' },
      committedAt: { type: ["string", "null"], format: "date-time", description: "The committer date" },
      ...RELEASE_ENVIRONMENT_FIELDS,
    },
    required: ["id", "commit", "dir", "createdAt", "status", "current", "deployedBy", "ref", "commitMessage", "commitAuthor", "committedAt", "environment", "promotedFrom"],
  },
  Commit: {
    type: "object",
    properties: {
      sha: { type: "string" },
      message: { type: "string", description: "The commit's subject (first line)" },
      author: { type: "string", description: '"Name <email>"' },
      committedAt: { type: ["string", "null"], format: "date-time" },
    },
    required: ["sha", "message", "author", "committedAt"],
  },
  Changes: {
    type: "object",
    // Kept one line each, like the rest of this table (Prettier would break these up; the Deploy list below too).
    // prettier-ignore
    properties: {
      from: { type: ["object", "null"], description: "The current release (null when nothing is deployed yet)", properties: { sha: { type: "string" }, releaseId: { type: ["string", "null"] }, dir: { type: ["string", "null"] } }, required: ["sha", "releaseId", "dir"] },
      to: { type: "object", description: "The target, resolved to one commit", properties: { sha: { type: "string" }, ref: { type: "string" }, releaseId: { type: ["string", "null"] }, dir: { type: ["string", "null"] } }, required: ["sha", "ref", "releaseId", "dir"] },
      direction: { enum: ["forward", "back", "same", "diverged"], description: "forward: `to` is ahead of `from` (a deploy); back: `to` is behind (a rollback: the commits listed are the ones that go away); diverged: both have commits the other has not (the listed ones are those `to` adds)" },
      commits: { type: "array", items: { $ref: "#/components/schemas/Commit" }, description: "Newest first, at most 50" },
      total: { type: "integer", description: "How many commits there are in all (more than `commits` holds when beyond the cap)" },
      compareUrl: { type: ["string", "null"], description: "A compare page on github.com, gitlab.com or bitbucket.org, when the repository is there" },
    },
    required: ["from", "to", "direction", "commits", "total", "compareUrl"],
  },
  AuditEvent: {
    type: "object",
    properties: {
      id: { type: "string" },
      at: { type: "string", format: "date-time" },
      actor: { type: "string", description: "Who, as recorded then (an email, `token <name>`): stays after a user or token is deleted" },
      actorType: { type: "string", examples: ["user", "token", "system", "anonymous"] },
      actorId: { type: ["string", "null"] },
      actorRole: { type: ["string", "null"] },
      action: { type: "string" },
      target: { type: "object", properties: { type: { type: ["string", "null"] }, id: { type: ["string", "null"] }, name: { type: ["string", "null"] } }, required: ["type", "id", "name"] },
      outcome: { enum: ["success", "failure", "denied"] },
      ip: { type: ["string", "null"] },
      details: { description: "What the event recorded: before/after of a change, counts, the error of a failure (never a secret)" },
      hash: { type: "string" },
    },
    required: ["id", "at", "actor", "actorType", "action", "target", "outcome", "ip", "details", "hash"],
  },
  ...DEPLOY_SCHEMAS,
  ...VERDICT_SCHEMAS,
};

const ERROR_RESPONSES: Record<string, JsonSchema> = {
  BadRequest: { description: "Invalid input: the message names the field and the problem", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
  Unauthenticated: { description: "No valid API token or session", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
  Forbidden: { description: "Signed in, but the role is too low (the attempt is audited)", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
  NotFound: { description: "Nothing with that id", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
};

const TAGS: { name: Tag; description: string }[] = [
  { name: "System", description: "Health and this document" },
  { name: "Servers", description: "SSH targets with pinned host keys" },
  { name: "Apps", description: "What gets deployed, where, and how" },
  { name: "Deploys", description: "Deploy, roll back, cancel, follow" },
  { name: "Audit", description: "Who did what (every event for an admin, their own for a signed-in user)" },
  { name: "Monitors", description: "Health checks, uptime and latency" },
  { name: "Users", description: "People who sign in, and API tokens" },
  { name: "Alerts", description: "Alert channels (webhook, Slack, Discord, Teams, Telegram, ntfy, PagerDuty, e-mail) and tests" },
  { name: "Status pages", description: "Public status pages (/status/{slug}), their incidents, and the open JSON and badge endpoints" },
];

const ROLE_TEXT: Record<Role, string> = {
  viewer: "any signed-in role (viewer, deployer, admin)",
  deployer: "deployer or admin",
  admin: "admin",
};

export function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}

function responseContent(r: RouteResponse): JsonSchema {
  if (r.status === 204) return { description: r.description };
  const schema = typeof r.schema === "string" ? { $ref: `#/components/schemas/${r.schema}` } : (r.schema ?? {});
  return { description: r.description, content: { [r.mediaType ?? "application/json"]: { schema } } };
}

/** The request half of a route: path and query parameters, and the JSON body, all from its zod input. */
function requestParts(route: ApiRoute): Pick<OpenApiOperation, "parameters" | "requestBody"> {
  const pathNames = pathParameterNames(route.path);
  if (!route.definition) {
    // An open route (a provider's webhook) takes its path parameters as plain strings, and its own body.
    const parameters: OpenApiParameter[] = pathNames.map((name) => ({ name, in: "path", required: true, schema: { type: "string" } }));
    return { parameters, ...(route.openBody ? { requestBody: { required: true, content: { "application/json": { schema: route.openBody } } } } : {}) };
  }
  const json = inputJsonSchema(route.definition.input);
  const top = isObjectSchema(json) ? propertiesOf(json) : {};
  const required = isObjectSchema(json) ? requiredOf(json) : [];
  const parameters: OpenApiParameter[] = pathNames.map((name) => {
    const schema = top[name];
    if (!schema) throw new Error(`${route.method.toUpperCase()} ${route.path}: the input schema has no "${name}" for the path parameter`);
    return { name, in: "path", required: true, schema, ...(route.example?.path?.[name] ? { example: route.example.path[name] } : {}) };
  });

  if (route.method === "get") {
    if (!isObjectSchema(json)) throw new Error(`${route.method.toUpperCase()} ${route.path}: a query must be an object schema`);
    for (const [name, schema] of Object.entries(top)) {
      if (pathNames.includes(name)) continue;
      const example = route.example?.query?.[name];
      // A query example is written as it appears in a URL; an integer parameter's example is the number itself.
      const typed = example && schema.type === "integer" ? Number(example) : example;
      parameters.push({ name, in: "query", required: required.includes(name), schema, ...(typed ? { example: typed } : {}) });
    }
    return { parameters };
  }

  for (const name of route.query ?? []) {
    const schema = top[name];
    if (!schema) throw new Error(`${route.method.toUpperCase()} ${route.path}: the input schema has no "${name}" for the query parameter`);
    const example = route.example?.query?.[name];
    // Written as in a URL; a boolean flag's example is the boolean itself.
    const typed = example && schema.type === "boolean" ? example === "true" : example;
    parameters.push({ name, in: "query", required: required.includes(name), schema, ...(typed !== undefined ? { example: typed } : {}) });
  }
  const body = withoutProperties(json, [...pathNames, ...(route.query ?? [])]);
  if (!hasBodyFields(body)) return { parameters };
  const bodyRequired = isObjectSchema(body) ? requiredOf(body).length > 0 : true;
  return {
    parameters,
    requestBody: { required: bodyRequired, content: { "application/json": { schema: body, ...(route.example?.body ? { example: route.example.body } : {}) } } },
  };
}

function operation(route: ApiRoute): OpenApiOperation {
  const def = route.definition;
  const rule = def ? RULES[def.permission] : null;
  const { parameters, requestBody } = requestParts(route);
  const responses: Record<string, JsonSchema> = { [String(route.success.status)]: responseContent(route.success) };
  for (const r of route.alsoSuccess ?? []) responses[String(r.status)] = responseContent(r);
  const hasInput = parameters.some((p) => p.in === "query") || requestBody !== undefined;
  if (hasInput) responses["400"] = { $ref: "#/components/responses/BadRequest" };
  if (rule) {
    responses["401"] = { $ref: "#/components/responses/Unauthenticated" };
    // Every signed-in principal is at least a viewer, so a viewer route cannot answer 403.
    if (!hasRole("viewer", rule.role)) responses["403"] = { $ref: "#/components/responses/Forbidden" };
  }
  if (parameters.some((p) => p.in === "path")) responses["404"] = { $ref: "#/components/responses/NotFound" };
  if (route.conflict) responses["409"] = { description: route.conflict, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
  for (const o of route.other ?? []) {
    responses[String(o.status)] = { description: o.description, content: { "application/json": { schema: { $ref: `#/components/schemas/${o.schema ?? "Error"}` } } } };
  }
  const roleLine = rule ? `Role: ${ROLE_TEXT[rule.role]}${rule.alsoAllows ? `; ${rule.alsoAllows}` : ""}.` : "No authentication.";
  return {
    operationId: def?.name ?? route.operationId ?? (route.path === "/api/health" ? "health" : "openapi"),
    summary: route.summary,
    description: [route.description, roleLine].filter(Boolean).join("\n\n"),
    tags: [route.tag],
    security: def ? [{ bearerAuth: [] }] : [],
    "x-deckhand-role": rule?.role ?? null,
    parameters,
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document for the routes in API_ROUTES, generated from their own zod schemas. */
export function buildOpenApiDocument(routes: ApiRoute[] = API_ROUTES): OpenApiDocument {
  const paths: OpenApiDocument["paths"] = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    if (paths[route.path]![route.method]) throw new Error(`${route.method.toUpperCase()} ${route.path} is listed twice`);
    paths[route.path]![route.method] = operation(route);
  }
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: JSON_SCHEMA_DIALECT,
    info: {
      title: "Deckhand API",
      version: "1",
      description:
        'Deploy, roll back and watch web apps over SSH. Authenticate with `Authorization: Bearer <token>` (create one with `npx deckhand token create --name ci --role deployer`, or in Settings); a signed-in browser session works too. Errors are `{"error":{"code","message"}}`. Mutations are audited, including refused ones.',
    },
    // Relative: the API is served by the Deckhand that serves this document, wherever that is.
    servers: [{ url: "/", description: "This Deckhand" }],
    tags: TAGS,
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "An API token (`dh_…`). Its role (viewer, deployer, admin) is fixed when it is created." },
      },
      schemas: SCHEMAS,
      responses: ERROR_RESPONSES,
    },
  };
}

let cached: OpenApiDocument | undefined;

/** Built once per process: the routes and schemas do not change while it runs. */
export function openApiDocument(): OpenApiDocument {
  cached ??= buildOpenApiDocument();
  return cached;
}
