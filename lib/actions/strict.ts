import { z } from "zod";

/**
 * The schema with every object in it (the top-level object, each variant of a union, the output side of a
 * preprocess) refusing fields it does not name: a typo such as `{"nmae": "x"}` is a 400 naming the field
 * (`unknown field "nmae"`, lib/actions/field-errors.ts), not a silent no-op, and the OpenAPI document says
 * `additionalProperties: false`. An object that chose its own catchall (`.catchall()`, `.loose()`) keeps it.
 * Refinements, transforms and defaults are kept: the schema is cloned with only its catchall changed.
 */
export function strictInput<S extends z.ZodType>(schema: S): S {
  return strictify(schema) as S;
}

function strictify(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodObject) {
    return schema._zod.def.catchall === undefined ? schema.clone({ ...schema._zod.def, catchall: z.never() }) : schema;
  }
  if (schema instanceof z.ZodUnion) {
    // Discriminated unions are unions too; their def keeps its discriminator.
    const def = schema._zod.def;
    return schema.clone({ ...def, options: def.options.map((o) => strictify(o as z.ZodType)) } as typeof def);
  }
  if (schema instanceof z.ZodPipe) {
    const def = schema._zod.def;
    return schema.clone({ ...def, out: strictify(def.out as z.ZodType) } as typeof def);
  }
  return schema;
}
