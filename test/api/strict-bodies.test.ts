import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "../helpers/http";
import { appDb } from "../helpers/app-db";
import { createApiToken } from "../../lib/auth/tokens";
import { API_ROUTES } from "../../lib/openapi/routes";
import { buildOpenApiDocument } from "../../lib/openapi/document";

/**
 * Issue 12: a body field a route does not know is a 400 naming it (a typo such as `nmae` is not silently
 * ignored), on every PATCH, POST and PUT route of /api/v1, and the OpenAPI document says so
 * (additionalProperties: false). Each route gets its own documented example body (which passes validation)
 * plus one misspelt field, so the unknown field is the only problem.
 */
const mark = randomBytes(4).toString("hex");
let admin = "";

beforeAll(async () => {
  admin = (await createApiToken(appDb(), { name: `strict-admin-${mark}`, role: "admin" })).token;
});
afterAll(async () => {
  await appDb().$disconnect();
});

const changing = API_ROUTES.filter((r) => r.definition && (r.method === "patch" || r.method === "post" || r.method === "put"));
const pathOf = (path: string) => path.replace(/\{[^}]+\}/g, "strict-test-id");

describe("unknown body fields", () => {
  it("covers every PATCH route and the POST and PUT routes", () => {
    expect(changing.filter((r) => r.method === "patch").length).toBeGreaterThanOrEqual(5);
    expect(changing.length).toBeGreaterThanOrEqual(15);
  });

  for (const route of changing) {
    it(`${route.method.toUpperCase()} ${route.path} refuses {"nmae": …} with 400 naming the field`, async () => {
      const body = { ...route.example?.body, nmae: "x" };
      const res = await api(pathOf(route.path), admin, { method: route.method.toUpperCase(), body: JSON.stringify(body) });
      const text = await res.text();
      expect(res.status, text).toBe(400);
      expect((JSON.parse(text) as { error: { code: string; message: string } }).error).toEqual({ code: "invalid_input", message: 'unknown field "nmae"' });
    });
  }

  it("names every unknown field at once", async () => {
    const res = await api("/api/v1/servers/strict-test-id", admin, { method: "PATCH", body: JSON.stringify({ name: "ok", nmae: 1, hots: 2 }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe('unknown fields "nmae", "hots"');
  });

  it("the OpenAPI document closes every request body (additionalProperties: false)", () => {
    const doc = buildOpenApiDocument();
    for (const route of changing) {
      const schema = doc.paths[route.path]![route.method]!.requestBody?.content["application/json"].schema;
      if (!schema) continue;
      const variants = (schema.oneOf ?? schema.anyOf ?? [schema]) as { additionalProperties?: unknown }[];
      for (const v of variants) expect(v.additionalProperties, `${route.method} ${route.path}`).toBe(false);
    }
  });
});
