import { z } from "zod";

/** A JSON Schema (2020-12) object as zod emits it; OpenAPI 3.1 schema objects are exactly these. */
export type JsonSchema = { [key: string]: unknown };

export const JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema";

/**
 * What a client may send for this schema: the input side (before transforms and defaults), as JSON
 * Schema 2020-12. Transforms and preprocessors have no JSON form; their input side is described.
 */
export function inputJsonSchema(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, { target: "draft-2020-12", io: "input", unrepresentable: "any" }) as JsonSchema;
  const { $schema: _dialect, ...rest } = json;
  return rest;
}

export function isObjectSchema(schema: JsonSchema): schema is JsonSchema & { properties?: Record<string, JsonSchema>; required?: string[] } {
  return schema.type === "object";
}

export function propertiesOf(schema: JsonSchema): Record<string, JsonSchema> {
  return (schema.properties as Record<string, JsonSchema> | undefined) ?? {};
}

export function requiredOf(schema: JsonSchema): string[] {
  return (schema.required as string[] | undefined) ?? [];
}

/** The variants of a union (oneOf/anyOf), or the schema itself. */
export function variantsOf(schema: JsonSchema): JsonSchema[] {
  const list = (schema.oneOf ?? schema.anyOf) as JsonSchema[] | undefined;
  return list ?? [schema];
}

/**
 * The schema without some properties (the path parameters, which travel in the URL, not the body).
 * Unions lose them in every variant.
 */
export function withoutProperties(schema: JsonSchema, names: string[]): JsonSchema {
  if (names.length === 0) return schema;
  for (const key of ["oneOf", "anyOf", "allOf"] as const) {
    if (Array.isArray(schema[key])) return { ...schema, [key]: (schema[key] as JsonSchema[]).map((s) => withoutProperties(s, names)) };
  }
  if (!isObjectSchema(schema)) return schema;
  const properties = Object.fromEntries(Object.entries(propertiesOf(schema)).filter(([k]) => !names.includes(k)));
  const required = requiredOf(schema).filter((k) => !names.includes(k));
  const { required: _r, properties: _p, ...rest } = schema;
  return { ...rest, properties, ...(required.length ? { required } : {}) };
}

/** Whether a body schema accepts any field at all (an empty object without extra properties carries nothing). */
export function hasBodyFields(schema: JsonSchema): boolean {
  return variantsOf(schema).some((v) => Object.keys(propertiesOf(v)).length > 0 || (v.additionalProperties !== undefined && v.additionalProperties !== false));
}

/** A short human type: "string", "integer 1–65535", "one of parallel | rolling"… for the API page. */
export function describeType(schema: JsonSchema): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return `one of ${(schema.enum as unknown[]).map((v) => String(v)).join(" | ")}`;
  const union = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (union) {
    // "x or the empty string" is how optional form fields read; say it once.
    const parts = union.filter((u) => u.const !== "").map(describeType);
    return [...new Set(parts)].join(" or ") + (union.some((u) => u.const === "") ? " (or empty)" : "");
  }
  const type = typeof schema.type === "string" ? schema.type : Array.isArray(schema.type) ? (schema.type as string[]).join(" | ") : "any";
  if (type === "array") {
    const items = schema.items as JsonSchema | undefined;
    return `array of ${items ? describeType(items) : "any"}`;
  }
  if (type === "object" && schema.additionalProperties && typeof schema.additionalProperties === "object") {
    return `object of ${describeType(schema.additionalProperties as JsonSchema)}`;
  }
  return typeof schema.format === "string" ? `${type} (${schema.format})` : type;
}

/** Limits worth reading next to a field: range, length, pattern, default. */
export function describeConstraints(schema: JsonSchema): string[] {
  const notes: string[] = [];
  const num = (k: string) => (typeof schema[k] === "number" ? (schema[k] as number) : undefined);
  const [min, max] = [num("minimum"), num("maximum")];
  if (min !== undefined || max !== undefined) notes.push(min !== undefined && max !== undefined ? `${min}–${max}` : min !== undefined ? `≥ ${min}` : `≤ ${max}`);
  const [minLength, maxLength] = [num("minLength"), num("maxLength")];
  if (minLength !== undefined && minLength > 1) notes.push(`at least ${minLength} characters`);
  if (maxLength !== undefined) notes.push(`at most ${maxLength} characters`);
  const maxItems = num("maxItems");
  if (maxItems !== undefined) notes.push(`at most ${maxItems} items`);
  // A format (date-time) already says what its long generated pattern checks.
  if (typeof schema.pattern === "string" && schema.format === undefined) notes.push(`matches ${schema.pattern}`);
  if (schema.default !== undefined) notes.push(`default ${JSON.stringify(schema.default)}`);
  if (typeof schema.description === "string") notes.push(schema.description);
  return notes;
}
