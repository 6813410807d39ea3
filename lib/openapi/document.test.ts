import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import type { DefinedHandler } from "../actions/api";
import { db } from "../db/client";
import { getDeploy, listReleases } from "../queries/deploys";
import { buildOpenApiDocument, pathParameterNames, type OpenApiDocument } from "./document";
import { apiReference } from "./reference";
import { API_ROUTES } from "./routes";

const root = path.resolve(import.meta.dirname, "../..");
const doc: OpenApiDocument = buildOpenApiDocument();
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** z.toJSONSchema exactly as the brief says, computed here independently of the builder. */
function zodInput(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { target: "draft-2020-12", io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

function resolvePointer(ref: string): unknown {
  expect(ref.startsWith("#/")).toBe(true);
  let node: unknown = doc;
  for (const raw of ref.slice(2).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (node === null || typeof node !== "object" || !(key in node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function collectRefs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => collectRefs(n, out));
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "$ref" && typeof v === "string") out.push(v);
      else collectRefs(v, out);
    }
  }
  return out;
}

/** Every route.ts under app/api (but next-auth's), as "METHOD /path" with [param] written {param}. */
function routeFiles(): { file: string; path: string }[] {
  const found: { file: string; path: string }[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name === "route.ts") {
        const rel = path.relative(path.join(root, "app"), path.dirname(full));
        found.push({
          file: full,
          path:
            "/" +
            rel
              .split(path.sep)
              .map((s) => s.replace(/^\[(\w+)\]$/, "{$1}"))
              .join("/"),
        });
      }
    }
  };
  walk(path.join(root, "app", "api"));
  return found.filter((f) => !f.path.startsWith("/api/auth"));
}

describe("the OpenAPI document", () => {
  it("is valid OpenAPI 3.1 by the specification's own JSON Schema", async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc) as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("catches a broken document (the validator is not a rubber stamp)", async () => {
    // OpenAPI 3.1 no longer requires `responses` (our own check below does); a 2.0-style body parameter is invalid.
    const broken = structuredClone(doc) as unknown as { paths: Record<string, Record<string, { parameters: { in: string }[] }>> };
    broken.paths["/api/v1/deploys/{deployId}"]!.get!.parameters[0]!.in = "body";
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it("gives every operation a success response, a unique operationId, and its path parameters", () => {
    const ids = new Set<string>();
    for (const [p, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${p}`;
        expect(
          Object.keys(op.responses).some((s) => /^2\d\d$/.test(s)),
          where,
        ).toBe(true);
        expect(ids.has(op.operationId), `${where}: duplicate operationId`).toBe(false);
        ids.add(op.operationId);
        const declared = op.parameters.filter((x) => x.in === "path").map((x) => x.name);
        expect(declared.sort(), where).toEqual(pathParameterNames(p).sort());
        for (const param of op.parameters.filter((x) => x.in === "path")) expect(param.required).toBe(true);
      }
    }
  });

  it("resolves every $ref", () => {
    const refs = collectRefs(doc);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of new Set(refs)) expect(resolvePointer(ref), ref).toBeDefined();
  });

  it("describes bearer auth, the error shape and the status codes", () => {
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.components.schemas.Error).toMatchObject({ properties: { error: { required: ["code", "message"] } }, required: ["error"] });
    const op = (p: string, m: string) => doc.paths[p]![m]!;
    expect(Object.keys(op("/api/v1/servers", "post").responses).sort()).toEqual(["201", "400", "401", "403", "409"]);
    expect(Object.keys(op("/api/v1/apps/{appId}/deploys", "post").responses).sort()).toEqual(["202", "400", "401", "403", "404", "409"]);
    expect(Object.keys(op("/api/v1/deploys/{deployId}", "get").responses).sort()).toEqual(["200", "401", "404"]);
    expect(Object.keys(op("/api/v1/audit", "get").responses).sort()).toEqual(["200", "400", "401", "403"]);
    expect(op("/api/health", "get").security).toEqual([]);
    expect(op("/api/v1/openapi.json", "get").security).toEqual([]);
    expect(op("/api/v1/apps/{appId}/rollbacks", "post").security).toEqual([{ bearerAuth: [] }]);
    expect(op("/api/v1/apps/{appId}/rollbacks", "post")["x-deckhand-role"]).toBe("deployer");
  });
});

describe("one source of truth", () => {
  it("lists exactly the routes under app/api, each with the definition its handler runs", async () => {
    const files = routeFiles();
    const fromFiles: string[] = [];
    for (const f of files) {
      const mod = (await import(f.file)) as Record<string, unknown>;
      for (const method of METHODS) {
        const handler = mod[method] as DefinedHandler | undefined;
        if (!handler) continue;
        const key = `${method} ${f.path}`;
        fromFiles.push(key);
        const route = API_ROUTES.find((r) => r.method === method.toLowerCase() && r.path === f.path);
        expect(route, `${key} is not in lib/openapi/routes.ts`).toBeDefined();
        if (handler.definition) {
          expect(route!.definition, key).not.toBeNull();
          // The very same schema object: the document cannot describe a different input than the route checks.
          expect(route!.definition!.input === handler.definition.input, `${key}: not the route's own input schema`).toBe(true);
          expect(route!.definition!.permission, key).toBe(handler.definition.permission);
          expect(route!.definition!.name, key).toBe(handler.definition.name);
          expect(route!.success.status, key).toBe(handler.definition.status);
        } else {
          expect(route!.definition, `${key} has no definition: it must be listed as open (null)`).toBeNull();
        }
      }
    }
    expect(fromFiles.sort()).toEqual(API_ROUTES.map((r) => `${r.method.toUpperCase()} ${r.path}`).sort());
  });

  it("uses z.toJSONSchema of each route's input for its request body and parameters", () => {
    let bodies = 0;
    for (const route of API_ROUTES) {
      if (!route.definition) continue;
      const op = doc.paths[route.path]![route.method]!;
      const json = zodInput(route.definition.input) as { properties?: Record<string, unknown>; required?: string[] };
      const pathNames = pathParameterNames(route.path);
      for (const name of pathNames) expect(op.parameters.find((p) => p.name === name)!.schema).toEqual(json.properties![name]);
      if (route.method === "get") {
        const query = Object.entries(json.properties ?? {}).filter(([k]) => !pathNames.includes(k));
        expect(op.parameters.filter((p) => p.in === "query").map((p) => [p.name, p.schema, p.required])).toEqual(query.map(([k, s]) => [k, s, (json.required ?? []).includes(k)]));
        expect(op.requestBody).toBeUndefined();
        continue;
      }
      // A mutating route's named query fields (a DELETE's flag) are query parameters; all else is its body.
      const queryNames = route.query ?? [];
      expect(op.parameters.filter((p) => p.in === "query").map((p) => [p.name, p.schema, p.required])).toEqual(queryNames.map((k) => [k, json.properties![k], (json.required ?? []).includes(k)]));
      const notBody = [...pathNames, ...queryNames];
      const expected = structuredClone(json) as Record<string, unknown> & { properties?: Record<string, unknown>; required?: string[] };
      if (expected.properties) for (const name of notBody) delete expected.properties[name];
      if (expected.required) {
        expected.required = expected.required.filter((k) => !notBody.includes(k));
        if (expected.required.length === 0) delete expected.required;
      }
      const carriesFields = "oneOf" in expected || Object.keys(expected.properties ?? {}).length > 0 || (expected.additionalProperties !== undefined && expected.additionalProperties !== false);
      if (!carriesFields) {
        expect(op.requestBody, `${route.path} takes no body`).toBeUndefined();
        continue;
      }
      expect(op.requestBody!.content["application/json"].schema, `${route.method} ${route.path}`).toEqual(expected);
      bodies++;
    }
    expect(bodies).toBeGreaterThanOrEqual(6);
  });

  it("shows only examples that the route's own schema accepts", () => {
    for (const route of API_ROUTES) {
      if (!route.definition || !route.example) continue;
      const input = { ...route.example.query, ...route.example.body, ...route.example.path };
      const parsed = route.definition.input.safeParse(input);
      expect(parsed.success, `${route.method} ${route.path}: ${parsed.error?.message}`).toBe(true);
    }
    expect(API_ROUTES.filter((r) => r.method !== "get" && r.definition && !r.example).map((r) => r.path)).toEqual([]);
  });
});

describe("documented response shapes", () => {
  it("match what GET /api/v1/deploys/{id} and GET /api/v1/apps/{id}/releases return", async () => {
    const app = await db().app.create({ data: { name: "openapi-shape", repoUrl: "/srv/repo.git", deployPath: "/srv/app" } });
    const server = await db().server.create({
      data: { name: "openapi-shape", host: "127.0.0.1", port: 22, username: "deploy", sshKey: { create: { name: "k", publicKey: "p", fingerprint: "f", encryptedPrivateKey: "x" } } },
    });
    const deploy = await db().deploy.create({ data: { appId: app.id, kind: "deploy", status: "succeeded", ref: "main", commit: "a".repeat(40), actorLabel: "ops@example.com" } });
    await db().release.create({ data: { appId: app.id, commit: "a".repeat(40), dir: "20261126000000-aaaaaaa", status: "succeeded", deployId: deploy.id } });
    await db().deployStep.create({ data: { deployId: deploy.id, serverId: server.id, name: "pull", position: 0, status: "succeeded" } });

    const view = await getDeploy(deploy.id);
    const schemas = doc.components.schemas as Record<string, { required: string[] }>;
    expect(Object.keys(view).sort()).toEqual([...schemas.Deploy!.required].sort());
    expect(Object.keys(view.steps[0]!).sort()).toEqual([...schemas.DeployStep!.required].sort());
    const releases = await listReleases(app.id);
    expect(Object.keys(releases[0]!).sort()).toEqual([...schemas.Release!.required].sort());
  });
});

describe("the API page model", () => {
  const tags = apiReference(doc);
  const all = tags.flatMap((t) => t.operations);

  it("has every operation, with its role, fields and a curl line", () => {
    expect(all).toHaveLength(API_ROUTES.length);
    const deploy = all.find((o) => o.method === "POST" && o.path === "/api/v1/apps/{appId}/deploys")!;
    expect(deploy.role).toBe("deployer");
    expect(deploy.pathParams).toEqual([{ name: "appId", type: "string", required: true, notes: ["at most 64 characters"] }]);
    expect(deploy.body).toEqual([
      {
        title: null,
        open: false,
        fields: [expect.objectContaining({ name: "ref", type: "string", required: true }), expect.objectContaining({ name: "environment", required: false }), expect.objectContaining({ name: "override", required: false })],
      },
    ]);
    expect(deploy.curl).toBe(`curl -fsS -X POST "$DECKHAND_URL/api/v1/apps/$APP_ID/deploys" \\\n  -H "Authorization: Bearer $DECKHAND_TOKEN" \\\n  -H 'Content-Type: application/json' \\\n  -d '{"ref":"main"}'`);
    const app = all.find((o) => o.method === "POST" && o.path === "/api/v1/apps")!;
    const strategy = app.body![0]!.fields.find((f) => f.name === "strategy")!;
    expect(strategy).toEqual({ name: "strategy", type: "one of parallel | rolling", required: false, notes: ['default "parallel"'] });
    // The smoke command's single quotes survive the shell quoting of the example body.
    expect(app.curl).toContain(`-d '{"name":"shop"`);
    expect(app.curl).toContain(`require('\\''./dist/server.js'\\'')`);
  });

  it("shows a union body (monitor types) as one table per variant, and open routes without a token", () => {
    const monitor = all.find((o) => o.method === "POST" && o.path === "/api/v1/monitors")!;
    expect(monitor.body!.map((v) => v.title)).toEqual(['type: "http"', 'type: "tcp"', 'type: "ssh"', 'type: "heartbeat"', 'type: "certificate"']);
    const health = all.find((o) => o.path === "/api/health")!;
    expect(health.role).toBeNull();
    expect(health.curl).toBe(`curl -fsS "$DECKHAND_URL/api/health"`);
    const audit = all.find((o) => o.path === "/api/v1/audit")!;
    expect(audit.curl).toContain(`"$DECKHAND_URL/api/v1/audit?action=deploy.&outcome=failure&limit=50"`);
  });
});
