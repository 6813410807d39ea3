import { ValidationError } from "../errors";

/**
 * The one string check every input passes before its schema (runAction for API routes and server actions,
 * apiQuery for the path and query of reads, the CLI for its arguments and standard input). Postgres refuses a
 * NUL in text with an opaque error, a shell cuts the argument at it, and an unpaired surrogate is not Unicode
 * (it cannot be stored as UTF-8 and turns into U+FFFD on the way out), so neither is ever valid input. It
 * walks any raw value (object keys and values, arrays, nested) and names the first bad place.
 */

export interface BadString {
  /** Where, as zod paths read ("env.FOO", "serverIds.0"); a key that is not a plain name is quoted JSON. */
  path: string;
  problem: string;
  message: string;
}

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const PLAIN_KEY = /^[A-Za-z0-9_$-]+$/;

function problemOf(text: string): string | null {
  if (text.includes("\0")) return "must not contain a NUL byte";
  if (UNPAIRED_SURROGATE.test(text)) return "must not contain an unpaired surrogate (text that is not valid Unicode)";
  return null;
}

/** JSON.stringify escapes NUL and lone surrogates, so a bad key can be named without carrying it further. */
function pathText(path: (string | number)[]): string {
  return path.map((key, i) => (typeof key === "number" || PLAIN_KEY.test(key) ? `${i === 0 ? "" : "."}${key}` : `[${JSON.stringify(key)}]`)).join("");
}

function bad(path: (string | number)[], problem: string, isKey = false): BadString {
  const where = pathText(path) || "input";
  const message = `${where}: ${isKey ? `the name ${problem}` : problem}`;
  return { path: where, problem, message };
}

/** A place in the input as a chain to its parent: the path is only spelled out for the one bad place. */
interface Place {
  parent: Place | null;
  key: string | number;
}

function pathOf(place: Place | null): (string | number)[] {
  const keys: (string | number)[] = [];
  for (let p = place; p; p = p.parent) keys.push(p.key);
  return keys.reverse();
}

/** The first NUL byte or unpaired surrogate anywhere in the value, or null. Iterative: depth cannot overflow the stack. */
export function findBadString(value: unknown): BadString | null {
  const stack: { value: unknown; place: Place | null }[] = [{ value, place: null }];
  while (stack.length > 0) {
    const { value: v, place } = stack.pop()!;
    if (typeof v === "string") {
      const problem = problemOf(v);
      if (problem) return bad(pathOf(place), problem);
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], place: { parent: place, key: i } });
    } else if (v !== null && typeof v === "object" && !(v instanceof Date)) {
      const entries = Object.entries(v as Record<string, unknown>);
      for (const [key] of entries) {
        const problem = problemOf(key);
        if (problem) return bad(pathOf({ parent: place, key }), problem, true);
      }
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i]![1], place: { parent: place, key: entries[i]![0] } });
    }
  }
  return null;
}

/** Throws a 400 naming the first bad field; returns the input unchanged otherwise. */
export function assertCleanInput<T>(value: T): T {
  const found = findBadString(value);
  if (found) throw new ValidationError(found.message, [{ path: found.path, message: found.problem }]);
  return value;
}
