import { z } from "zod";

/**
 * Response assertions: conditions on a JSON body, each a path in a small, safe subset of JSONPath and a
 * comparison. The subset is `$`, then any of `.name`, `['name']` / `["name"]` and `[index]` (negative
 * counts from the end): enough to reach any single value, and nothing that evaluates code or walks the
 * whole document (no `..`, `*`, filters, slices or unions, which are refused with a message saying so).
 */

export const ASSERTION_OPS = ["==", "!=", "<", "<=", ">", ">=", "contains", "exists"] as const;
export type AssertionOp = (typeof ASSERTION_OPS)[number];
export const MAX_ASSERTIONS = 20;

export type PathStep = { key: string } | { index: number };

export class JsonPathError extends Error {}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$-]*/;

/** Parses `$.a.b[0]['c d']` into steps, or throws a JsonPathError naming what is not supported. */
export function parseJsonPath(path: string): PathStep[] {
  const p = path.trim();
  if (!p.startsWith("$")) throw new JsonPathError("must start with $ (e.g. $.status or $.checks[0].ok)");
  const steps: PathStep[] = [];
  let i = 1;
  while (i < p.length) {
    const rest = p.slice(i);
    if (rest.startsWith("..")) throw new JsonPathError("recursive descent (..) is not supported: name each step, e.g. $.a.b");
    if (rest.startsWith(".")) {
      if (rest[1] === "*") throw new JsonPathError("wildcards (*) are not supported: name the key or give an index");
      const m = IDENT.exec(rest.slice(1));
      if (!m) throw new JsonPathError(`expected a key name after "." at position ${i + 1}; use ['…'] for other keys`);
      steps.push({ key: m[0] });
      i += 1 + m[0].length;
      continue;
    }
    if (rest.startsWith("[")) {
      const quoted = /^\[\s*(['"])((?:\\.|(?!\1).)*)\1\s*\]/.exec(rest);
      if (quoted) {
        steps.push({ key: quoted[2]!.replace(/\\(.)/g, "$1") });
        i += quoted[0].length;
        continue;
      }
      const index = /^\[\s*(-?\d+)\s*\]/.exec(rest);
      if (index) {
        steps.push({ index: Number(index[1]) });
        i += index[0].length;
        continue;
      }
      if (/^\[\s*\?/.test(rest)) throw new JsonPathError("filters ([?(…)]) are not supported");
      if (/^\[\s*\*/.test(rest)) throw new JsonPathError("wildcards ([*]) are not supported: give an index");
      if (/^\[[^\]]*[:,]/.test(rest)) throw new JsonPathError("slices and unions ([a:b], [a,b]) are not supported: give one index");
      throw new JsonPathError(`expected [number] or ['key'] at position ${i + 1}`);
    }
    throw new JsonPathError(`unexpected "${rest[0]}" at position ${i + 1}: use .key, ['key'] or [index]`);
  }
  return steps;
}

/** The value at the path, or `undefined` when a step is missing. */
export function selectPath(doc: unknown, steps: PathStep[]): unknown {
  let cur: unknown = doc;
  for (const step of steps) {
    if ("index" in step) {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[step.index < 0 ? cur.length + step.index : step.index];
    } else {
      if (cur === null || typeof cur !== "object" || Array.isArray(cur) || !Object.prototype.hasOwnProperty.call(cur, step.key)) return undefined;
      cur = (cur as Record<string, unknown>)[step.key];
    }
  }
  return cur;
}

const jsonPath = z
  .string({ error: "path must be a string such as $.status" })
  .trim()
  .min(1, "path is required, e.g. $.status")
  .max(300, "path must be at most 300 characters")
  .superRefine((v, ctx) => {
    try {
      parseJsonPath(v);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: `path ${v}: ${(err as Error).message}` });
    }
  });

/** One assertion as stored on the monitor and accepted by the API and the form. */
export const assertionSchema = z
  .object({
    path: jsonPath,
    op: z.enum(ASSERTION_OPS, { error: `op must be one of ${ASSERTION_OPS.join(", ")}` }),
    /** What to compare with: a string (parsed as JSON when it is a number, true, false, null or a quoted string), or a JSON scalar. */
    value: z.union([z.string().max(500, "value must be at most 500 characters"), z.number(), z.boolean(), z.null()], { error: "value must be a string, number, boolean or null" }).optional(),
  })
  .superRefine((a, ctx) => {
    if (a.op !== "exists" && (a.value === undefined || a.value === "")) ctx.addIssue({ code: "custom", path: ["value"], message: `value is required for ${a.op}` });
    if (["<", "<=", ">", ">="].includes(a.op) && a.value !== undefined && !Number.isFinite(asNumber(a.value))) {
      ctx.addIssue({ code: "custom", path: ["value"], message: `value must be a number for ${a.op}` });
    }
  });
export type Assertion = z.infer<typeof assertionSchema>;

export const assertionsSchema = z.array(assertionSchema, { error: "assertions must be a list of { path, op, value }" }).max(MAX_ASSERTIONS, `at most ${MAX_ASSERTIONS} assertions`);

export interface AssertionResult {
  path: string;
  op: AssertionOp;
  expected: string | null;
  /** What the path held, as JSON (cut to 200 characters); null when the path is missing. */
  actual: string | null;
  ok: boolean;
  /** One line for people, e.g. `$.status == "ok" failed: got "degraded"`. */
  message: string;
}

function asNumber(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "") return Number(v);
  return NaN;
}

/** A form's "200", "true", "null" or "\"ok\"" is that JSON value; any other text is itself. */
function literal(value: Assertion["value"]): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function equals(actual: unknown, value: Assertion["value"]): boolean {
  return deepEqual(actual, literal(value)) || (typeof actual === "string" && actual === value) || (typeof actual === "number" && typeof value === "string" && asNumber(value) === actual);
}

function show(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

function compare(actual: unknown, a: Assertion): { ok: boolean; why?: string } {
  switch (a.op) {
    case "exists":
      return { ok: actual !== undefined };
    case "==":
      return { ok: equals(actual, a.value) };
    case "!=":
      return { ok: !equals(actual, a.value) };
    case "contains": {
      if (typeof actual === "string") return { ok: actual.includes(String(typeof a.value === "string" ? a.value : show(a.value))) };
      if (Array.isArray(actual)) return { ok: actual.some((item) => equals(item, a.value)) };
      return { ok: false, why: "not a string or a list" };
    }
    default: {
      const x = asNumber(actual);
      const y = asNumber(a.value);
      if (!Number.isFinite(x)) return { ok: false, why: "not a number" };
      const ok = a.op === "<" ? x < y : a.op === "<=" ? x <= y : a.op === ">" ? x > y : x >= y;
      return { ok };
    }
  }
}

/** Evaluates every assertion against a parsed body. */
export function evaluateAssertions(doc: unknown, assertions: Assertion[]): AssertionResult[] {
  return assertions.map((a) => {
    const expected = a.op === "exists" || a.value === undefined ? null : typeof a.value === "string" ? a.value : show(a.value);
    const condition = `${a.path} ${a.op}${expected !== null ? ` ${typeof a.value === "string" ? show(literal(a.value)) : expected}` : ""}`;
    let actual: unknown;
    try {
      actual = selectPath(doc, parseJsonPath(a.path));
    } catch (err) {
      return { path: a.path, op: a.op, expected, actual: null, ok: false, message: `${a.path}: ${(err as Error).message}` };
    }
    const { ok, why } = compare(actual, a);
    const got = actual === undefined ? "the path is missing" : `got ${show(actual)}${why ? ` (${why})` : ""}`;
    return { path: a.path, op: a.op, expected, actual: actual === undefined ? null : show(actual), ok, message: ok ? `${condition}: passed` : `${condition} failed: ${got}` };
  });
}

/** Parses the body and evaluates; a body that is not JSON fails every assertion with one message. */
export function checkBodyAssertions(body: string, assertions: Assertion[]): { ok: boolean; results: AssertionResult[]; failure: string | null } {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    const message = `the body is not JSON (${body.length ? `starts with ${show(body.slice(0, 40))}` : "empty"})`;
    return { ok: false, failure: message, results: assertions.map((a) => ({ path: a.path, op: a.op, expected: a.value === undefined ? null : String(a.value), actual: null, ok: false, message })) };
  }
  const results = evaluateAssertions(doc, assertions);
  const failed = results.filter((r) => !r.ok);
  return { ok: failed.length === 0, results, failure: failed.length ? failed.map((r) => r.message).join("; ") : null };
}
