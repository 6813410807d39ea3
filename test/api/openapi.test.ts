import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "../../lib/openapi/document";
import { makeUser } from "../helpers/app-db";
import { baseUrl, signIn } from "../helpers/http";

/** The served document and the API page, over HTTP against the built app. */
describe("GET /api/v1/openapi.json and /api-docs", () => {
  it("serves the generated OpenAPI 3.1 document without sign-in", async () => {
    const res = await fetch(`${baseUrl()}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const served = (await res.json()) as unknown;
    expect(served).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument())));
  });

  it("shows the API page to any signed-in role, with every route, and sends strangers to sign-in", async () => {
    // A user exists first: with none, a stranger is sent to first-run setup instead (whatever ran before this file).
    const viewer = await makeUser("viewer");
    const anonymous = await fetch(`${baseUrl()}/api-docs`, { redirect: "manual" });
    expect(anonymous.status).toBeGreaterThanOrEqual(300);
    expect(anonymous.headers.get("location")).toMatch(/\/login/);

    const { ok, session } = await signIn(viewer.email, viewer.password);
    expect(ok).toBe(true);
    const page = await session.fetch("/api-docs");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('href="/api-docs"');
    for (const [path, item] of Object.entries(buildOpenApiDocument().paths)) {
      for (const op of Object.values(item)) expect(html, path).toContain(`id="${op.operationId.replace(/[^A-Za-z0-9]+/g, "-")}"`);
    }
  });
});
