/**
 * Inputs that put one hostile string into one field of a schema, for every field that takes a string: read
 * from the JSON Schema (the OpenAPI document's, or an action's input as lib/openapi renders it), so a field
 * added later is attacked without anyone listing it.
 */
export type JsonSchema = { [key: string]: unknown };

export interface HostileInput {
  /** How the refusal must name the field: the message starts with this. */
  field: string;
  input: Record<string, unknown>;
}

/** The NUL byte and the lone surrogate every string field must refuse. */
export const HOSTILE_STRINGS = { nul: "a\u0000b", surrogate: "a\ud800b" } as const;

function variants(schema: JsonSchema): JsonSchema[] {
  const list = (schema.oneOf ?? schema.anyOf ?? schema.allOf) as JsonSchema[] | undefined;
  return list ? list.flatMap(variants) : [schema];
}

export function acceptsString(schema: JsonSchema): boolean {
  if (schema.type === "string" || (Array.isArray(schema.type) && schema.type.includes("string"))) return true;
  if (typeof schema.const === "string") return true;
  if (Array.isArray(schema.enum) && schema.enum.some((v) => typeof v === "string")) return true;
  const union = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  return !!union?.some(acceptsString);
}

function fieldsOf(schema: JsonSchema, bad: string, prefix: string[]): HostileInput[] {
  const out: HostileInput[] = [];
  const nest = (value: unknown): Record<string, unknown> => prefix.reduceRight<Record<string, unknown>>((inner, key) => ({ [key]: inner }), value as Record<string, unknown>);
  for (const variant of variants(schema)) {
    const properties = (variant.properties ?? {}) as Record<string, JsonSchema>;
    for (const [name, raw] of Object.entries(properties)) {
      const path = [...prefix, name];
      const at = (value: unknown) => ({ ...nest({ [name]: value }) });
      for (const p of variants(raw)) {
        if (acceptsString(p)) out.push({ field: path.join("."), input: at(bad) });
        const items = p.items as JsonSchema | undefined;
        if (p.type === "array" && items && variants(items).some(acceptsString)) out.push({ field: `${path.join(".")}.0`, input: at([bad]) });
        const extra = p.additionalProperties as JsonSchema | boolean | undefined;
        if (p.type === "object" && extra && typeof extra === "object") {
          if (variants(extra).some(acceptsString)) out.push({ field: `${path.join(".")}.SOME_NAME`, input: at({ SOME_NAME: bad }) });
          out.push({ field: `${path.join(".")}[`, input: at({ [bad]: "x" }) });
        }
        if (p.type === "object" && p.properties) out.push(...fieldsOf(p, bad, path));
      }
    }
  }
  const seen = new Set<string>();
  return out.filter((h) => !seen.has(h.field) && seen.add(h.field));
}

/** One input per string-taking field (nested objects, arrays, records and their keys included). */
export function hostileInputs(schema: JsonSchema, bad: string): HostileInput[] {
  return fieldsOf(schema, bad, []);
}
