import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { OperationCard } from "../../components/api-docs/operation-card";
import { getApiReference } from "./api-docs";

/** The /api-docs cards rendered to HTML (the page is a server component around them). */
describe("API page cards", () => {
  const ops = getApiReference().flatMap((t) => t.operations);

  it("render every operation with its method, path, role and curl line", () => {
    for (const op of ops) {
      const html = renderToStaticMarkup(createElement(OperationCard, { op }));
      expect(html).toContain(`id="${op.anchor}"`);
      expect(html).toContain(`>${op.method}<`);
      expect(html).toContain(op.path.replace(/&/g, "&amp;"));
      expect(html).toContain(op.role ? `role: ${op.role}` : "no authentication");
      expect(html).toContain("curl -fsS");
    }
  });

  it("shows request fields with their types and required flags", () => {
    const op = ops.find((o) => o.method === "POST" && o.path === "/api/v1/servers")!;
    const html = renderToStaticMarkup(createElement(OperationCard, { op }));
    expect(html).toMatch(/data-testid="field-host".*?>host<.*?>string<.*?>required</);
    expect(html).toMatch(/data-testid="field-port".*?>port<.*?>integer<.*?>optional<.*?1–65535; default 22/);
    expect(html).toContain(">JSON body<");
    expect(html).not.toContain("Path parameters");
  });
});
