import type { Role } from "../auth/roles";
import type { OpenApiDocument, OpenApiOperation, OpenApiParameter } from "./document";
import { describeConstraints, describeType, propertiesOf, requiredOf, variantsOf, type JsonSchema } from "./json-schema";

/** The API page's model: the OpenAPI document, flattened into what a person reads. */
export interface FieldRow {
  name: string;
  type: string;
  required: boolean;
  notes: string[];
}

export interface BodyVariant {
  /** "type: http" for one branch of a union; null for a plain object. */
  title: string | null;
  fields: FieldRow[];
  /** Fields beyond the listed ones are accepted (validated later, as a whole). */
  open: boolean;
}

export interface OperationView {
  anchor: string;
  method: string;
  path: string;
  summary: string;
  description: string;
  role: Role | null;
  pathParams: FieldRow[];
  queryParams: FieldRow[];
  body: BodyVariant[] | null;
  responses: { status: string; description: string }[];
  curl: string;
}

export interface TagView {
  name: string;
  description: string;
  operations: OperationView[];
}

function fieldRow(name: string, schema: JsonSchema, required: boolean): FieldRow {
  return { name, type: describeType(schema), required, notes: describeConstraints(schema) };
}

function paramRows(params: OpenApiParameter[], where: "path" | "query"): FieldRow[] {
  return params.filter((p) => p.in === where).map((p) => fieldRow(p.name, p.schema, p.required));
}

function bodyVariants(schema: JsonSchema): BodyVariant[] {
  return variantsOf(schema).map((v) => {
    const props = propertiesOf(v);
    const discriminator = Object.entries(props).find(([, s]) => s.const !== undefined);
    return {
      title: variantsOf(schema).length > 1 && discriminator ? `${discriminator[0]}: ${JSON.stringify(discriminator[1].const)}` : null,
      fields: Object.entries(props).map(([name, s]) => fieldRow(name, s, requiredOf(v).includes(name))),
      open: v.additionalProperties !== undefined && v.additionalProperties !== false,
    };
  });
}

function resolveResponse(doc: OpenApiDocument, response: JsonSchema): string {
  const ref = response.$ref;
  if (typeof ref === "string") {
    const target = doc.components.responses[ref.replace("#/components/responses/", "")];
    return String(target?.description ?? ref);
  }
  return String(response.description ?? "");
}

/** Single-quoted for a POSIX shell: nothing inside is expanded. */
function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Placeholders in the examples (APP_ID) become shell variables, so the line can be pasted after setting them. */
function placeholder(value: string): string {
  return /^[A-Z][A-Z0-9_]*$/.test(value) ? `$${value}` : encodeURIComponent(value);
}

export function curlExample(method: string, path: string, op: OpenApiOperation): string {
  let url = "$DECKHAND_URL" + path.replace(/\{(\w+)\}/g, (_m, name: string) => placeholder(String(op.parameters.find((p) => p.name === name)?.example ?? name.toUpperCase())));
  const query = op.parameters.filter((p) => p.in === "query" && p.example !== undefined).map((p) => `${encodeURIComponent(p.name)}=${encodeURIComponent(String(p.example))}`);
  if (query.length) url += `?${query.join("&")}`;
  const lines = [`curl -fsS${method === "get" ? "" : ` -X ${method.toUpperCase()}`} "${url}"`];
  if (op.security.length > 0) lines.push(`-H "Authorization: Bearer $DECKHAND_TOKEN"`);
  const example = op.requestBody?.content["application/json"].example;
  if (example !== undefined) lines.push(`-H 'Content-Type: application/json'`, `-d ${shellQuote(JSON.stringify(example))}`);
  return lines.join(" \\\n  ");
}

export function apiReference(doc: OpenApiDocument): TagView[] {
  const byTag = new Map<string, OperationView[]>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const view: OperationView = {
        anchor: op.operationId.replace(/[^A-Za-z0-9]+/g, "-"),
        method: method.toUpperCase(),
        path,
        summary: op.summary,
        description: op.description,
        role: op["x-deckhand-role"],
        pathParams: paramRows(op.parameters, "path"),
        queryParams: paramRows(op.parameters, "query"),
        body: op.requestBody ? bodyVariants(op.requestBody.content["application/json"].schema) : null,
        responses: Object.entries(op.responses).map(([status, r]) => ({ status, description: resolveResponse(doc, r) })),
        curl: curlExample(method, path, op),
      };
      const tag = op.tags[0] ?? "Other";
      byTag.set(tag, [...(byTag.get(tag) ?? []), view]);
    }
  }
  return doc.tags.filter((t) => byTag.has(t.name)).map((t) => ({ name: t.name, description: t.description, operations: byTag.get(t.name)! }));
}
