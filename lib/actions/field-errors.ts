/**
 * Validation issues in the words a form shows next to a field: zod's issue path gives the field (its first
 * segment, the name of the form control), and zod's own default messages ("Invalid input: expected number,
 * received NaN") are rewritten into plain sentences. Deckhand's schemas mostly carry their own short
 * messages ("must be a valid unix user name"); those are kept and only start with a capital letter.
 */

/** What a server action answers a form with: one message per field, and one for the form as a whole. */
export interface FormErrors {
  fieldErrors: Record<string, string>;
  formError?: string;
}

/** An issue as zod 4 reports it, or as the shared string check does (input-strings.ts: a dotted path). */
export interface IssueLike {
  code?: string;
  path?: readonly PropertyKey[] | string;
  message?: string;
  keys?: readonly string[];
  expected?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  origin?: string;
  format?: string;
  values?: readonly unknown[];
}

const ZOD_DEFAULT = /^(Invalid input|Invalid option|Invalid string|Invalid email|Invalid URL|Invalid UUID|Invalid ISO|Invalid discriminator|Too small|Too big|Unrecognized key|Required$|Expected )/;

function sentence(text: string): string {
  // "is required" / "must be …" read as a sentence about the field next to it.
  const t = /^is\b/.test(text.trim()) ? `This field ${text.trim()}` : text.trim();
  return t ? `${t[0]!.toUpperCase()}${t.slice(1)}${/[.!?]$/.test(t) ? "" : "."}` : t;
}

function unknownFields(keys: readonly string[]): string {
  return `unknown field${keys.length > 1 ? "s" : ""} ${keys.map((k) => JSON.stringify(k)).join(", ")}`;
}

const FORMATS: Record<string, string> = {
  email: "Enter an email address",
  url: "Enter a URL, such as https://example.com",
  uuid: "Enter a valid id",
  datetime: "Enter a date and time",
  date: "Enter a date",
};

/** The plain-words version of zod's default message for one issue (Deckhand's own messages pass through). */
export function plainMessage(issue: IssueLike): string {
  const own = issue.message ?? "";
  if (issue.code === "unrecognized_keys") return unknownFields(issue.keys ?? []);
  if (own && !ZOD_DEFAULT.test(own)) return own;
  const n = (v: number | bigint | undefined) => (v === undefined ? "" : String(v));
  switch (issue.code) {
    case "invalid_type":
      if (/received (undefined|null)/.test(own)) return "is required";
      if (issue.expected === "number" || issue.expected === "int") return "must be a number";
      if (issue.expected === "boolean") return "must be yes or no (true or false)";
      if (issue.expected === "array") return "must be a list";
      if (issue.expected === "object") return "must be an object";
      return `must be ${issue.expected === "string" ? "text" : `a ${issue.expected ?? "value"}`}`;
    case "too_small":
      if (issue.origin === "string") return Number(issue.minimum) <= 1 ? "is required" : `must be at least ${n(issue.minimum)} characters`;
      if (issue.origin === "array" || issue.origin === "set") return Number(issue.minimum) <= 1 ? "pick at least one" : `pick at least ${n(issue.minimum)}`;
      return `must be at least ${n(issue.minimum)}`;
    case "too_big":
      if (issue.origin === "string") return `must be at most ${n(issue.maximum)} characters`;
      if (issue.origin === "array" || issue.origin === "set") return `must have at most ${n(issue.maximum)} items`;
      return `must be at most ${n(issue.maximum)}`;
    case "invalid_value":
      return issue.values?.length ? `must be one of ${issue.values.map((v) => String(v)).join(", ")}` : "is not one of the allowed values";
    case "invalid_format":
      if (issue.format && FORMATS[issue.format]) return FORMATS[issue.format]!;
      return "is not in the expected format";
    case "invalid_union":
      return "is not valid here";
    case "not_multiple_of":
      return "is not an allowed step";
    default:
      return own || "is not valid";
  }
}

function segmentsOf(issue: IssueLike): string[] {
  const path = typeof issue.path === "string" ? issue.path.split(/[.[\]]/) : (issue.path ?? []).map(String);
  return path.map(String).filter((s) => s !== "");
}

/**
 * The issue's field: its whole path, dotted ("config.url", "groups.1.name", "env.FOO"). A form places it on
 * the control of that name or of the nearest enclosing one (components/use-action-form.ts): "env.FOO" on
 * "env", "channelIds.0" on "channelIds".
 */
export function fieldOf(issue: IssueLike): string | null {
  const path = segmentsOf(issue);
  if (path.length === 0 || path[0] === "input") return null;
  return path.join(".");
}

/**
 * Deckhand's own messages often start with the field they are about ("slug: at most 64 characters", "title is
 * required"): next to that field the name is noise, so it goes.
 */
function withoutFieldName(issue: IssueLike, message: string): string {
  const named = segmentsOf(issue).filter((s) => !/^\d+$/.test(s));
  const last = named[named.length - 1];
  if (!last) return message;
  const escaped = last.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return message.replace(new RegExp(`^${escaped}(?::\\s+|\\s+(?=(?:is|must|cannot)\\b))`), "");
}

/** The API's one-line message for a failed parse: `field: message`, zod's cryptic defaults in plain words. */
export function issueLine(issue: IssueLike): string {
  const path = typeof issue.path === "string" ? issue.path : (issue.path ?? []).map(String).join(".");
  return `${path && issue.code !== "unrecognized_keys" ? `${path}: ` : ""}${plainMessage(issue)}`;
}

/**
 * Every issue placed on its field (the first one per field wins: they are in schema order), in words that
 * need not name it; issues about the input as a whole (an unknown field, a cross-field rule without a path) go to formError.
 */
export function formErrorsOf(issues: readonly IssueLike[], fallback?: string): FormErrors {
  const fieldErrors: Record<string, string> = {};
  const general: string[] = [];
  for (const issue of issues) {
    const field = issue.code === "unrecognized_keys" ? null : fieldOf(issue);
    if (field === null) general.push(sentence(plainMessage(issue)));
    else fieldErrors[field] ??= sentence(withoutFieldName(issue, plainMessage(issue)));
  }
  const formError = general.length ? general.join(" ") : Object.keys(fieldErrors).length === 0 ? fallback : undefined;
  return { fieldErrors, ...(formError ? { formError } : {}) };
}
