import { describe, expect, it } from "vitest";
import { assertionSchema, assertionsSchema, checkBodyAssertions, evaluateAssertions, JsonPathError, parseJsonPath, selectPath } from "./assertions";

const doc = {
  status: "ok",
  version: "1.4.2",
  db: { ok: true, latencyMs: 12 },
  checks: [
    { name: "cache", ok: false },
    { name: "queue", ok: true },
  ],
  tags: ["eu", "blue"],
  "odd key": 1,
  none: null,
};

describe("the JSONPath subset", () => {
  it("parses keys, quoted keys and indexes", () => {
    expect(parseJsonPath("$")).toEqual([]);
    expect(parseJsonPath("$.db.ok")).toEqual([{ key: "db" }, { key: "ok" }]);
    expect(parseJsonPath("$.checks[1].name")).toEqual([{ key: "checks" }, { index: 1 }, { key: "name" }]);
    expect(parseJsonPath(`$['odd key']`)).toEqual([{ key: "odd key" }]);
    expect(parseJsonPath(`$["it's"]`)).toEqual([{ key: "it's" }]);
    expect(parseJsonPath("$.tags[-1]")).toEqual([{ key: "tags" }, { index: -1 }]);
  });

  it("selects values, undefined when a step is missing", () => {
    expect(selectPath(doc, parseJsonPath("$.checks[0].ok"))).toBe(false);
    expect(selectPath(doc, parseJsonPath("$.tags[-1]"))).toBe("blue");
    expect(selectPath(doc, parseJsonPath("$['odd key']"))).toBe(1);
    expect(selectPath(doc, parseJsonPath("$.none"))).toBeNull();
    expect(selectPath(doc, parseJsonPath("$.db.missing"))).toBeUndefined();
    expect(selectPath(doc, parseJsonPath("$.status[0]"))).toBeUndefined();
    expect(selectPath(doc, parseJsonPath("$.checks.name"))).toBeUndefined();
    // No walking up the prototype chain.
    expect(selectPath(doc, parseJsonPath("$.constructor"))).toBeUndefined();
    expect(selectPath(doc, parseJsonPath("$.status.length"))).toBeUndefined();
  });

  it.each([
    ["status", /must start with \$/],
    ["$..name", /recursive descent \(\.\.\) is not supported/],
    ["$.checks[*].ok", /wildcards \(\[\*\]\) are not supported/],
    ["$.*", /wildcards \(\*\) are not supported/],
    ["$.checks[?(@.ok)]", /filters .* are not supported/],
    ["$.checks[0:2]", /slices and unions .* are not supported/],
    ["$.checks[0,1]", /slices and unions/],
    ["$.a b", /unexpected " " at position 4/],
    ["$.", /expected a key name after "\." at position 2/],
  ])("refuses %s with a clear message", (path, message) => {
    expect(() => parseJsonPath(path)).toThrow(JsonPathError);
    expect(() => parseJsonPath(path)).toThrow(message);
  });
});

describe("comparisons", () => {
  const one = (path: string, op: string, value?: unknown) => evaluateAssertions(doc, [assertionSchema.parse({ path, op, value })])[0]!;

  it("== and != compare JSON values, and strings as typed", () => {
    expect(one("$.status", "==", "ok").ok).toBe(true);
    expect(one("$.status", "==", '"ok"').ok).toBe(true);
    expect(one("$.db.ok", "==", "true").ok).toBe(true);
    expect(one("$.db.ok", "==", true).ok).toBe(true);
    expect(one("$.db.latencyMs", "==", "12").ok).toBe(true);
    expect(one("$.db.latencyMs", "==", 12).ok).toBe(true);
    expect(one("$.none", "==", "null").ok).toBe(true);
    expect(one("$.version", "==", "1.4.2").ok).toBe(true);
    expect(one("$.status", "!=", "down").ok).toBe(true);
    expect(one("$.status", "!=", "ok").ok).toBe(false);
  });

  it("<, <=, >, >= need numbers", () => {
    expect(one("$.db.latencyMs", "<", "50").ok).toBe(true);
    expect(one("$.db.latencyMs", "<=", 12).ok).toBe(true);
    expect(one("$.db.latencyMs", ">", "12").ok).toBe(false);
    expect(one("$.db.latencyMs", ">=", "12").ok).toBe(true);
    const notNumber = one("$.status", ">", "1");
    expect(notNumber).toMatchObject({ ok: false, message: '$.status > 1 failed: got "ok" (not a number)' });
  });

  it("contains looks in strings and lists; exists only asks for the path", () => {
    expect(one("$.version", "contains", "1.4").ok).toBe(true);
    expect(one("$.tags", "contains", "blue").ok).toBe(true);
    expect(one("$.tags", "contains", "green").ok).toBe(false);
    expect(one("$.db", "contains", "ok")).toMatchObject({ ok: false, message: expect.stringContaining("(not a string or a list)") });
    expect(one("$.none", "exists").ok).toBe(true);
    expect(one("$.db.missing", "exists")).toMatchObject({ ok: false, message: "$.db.missing exists failed: the path is missing" });
  });

  it("a failure names the path, the expected and the actual value", () => {
    expect(one("$.checks[0].ok", "==", "true")).toEqual({
      path: "$.checks[0].ok",
      op: "==",
      expected: "true",
      actual: "false",
      ok: false,
      message: "$.checks[0].ok == true failed: got false",
    });
    expect(one("$.status", "==", "degraded").message).toBe('$.status == "degraded" failed: got "ok"');
  });

  it("checks a whole body, and a body that is not JSON fails every assertion", () => {
    const list = assertionsSchema.parse([
      { path: "$.status", op: "==", value: "ok" },
      { path: "$.db.latencyMs", op: "<", value: 5 },
    ]);
    const r = checkBodyAssertions(JSON.stringify(doc), list);
    expect(r.ok).toBe(false);
    expect(r.failure).toBe("$.db.latencyMs < 5 failed: got 12");
    expect(r.results.map((x) => x.ok)).toEqual([true, false]);
    const html = checkBodyAssertions("<html>oops</html>", list);
    expect(html.ok).toBe(false);
    expect(html.failure).toBe('the body is not JSON (starts with "<html>oops</html>")');
  });
});

describe("validation", () => {
  const issue = (input: unknown) => {
    const r = assertionsSchema.safeParse(input);
    return r.success ? null : `${r.error.issues[0]!.path.join(".")}: ${r.error.issues[0]!.message}`;
  };
  it("names the field and the problem", () => {
    expect(issue([{ path: "$..x", op: "exists" }])).toBe("0.path: path $..x: recursive descent (..) is not supported: name each step, e.g. $.a.b");
    expect(issue([{ path: "$.a", op: "~=" }])).toBe("0.op: op must be one of ==, !=, <, <=, >, >=, contains, exists");
    expect(issue([{ path: "$.a", op: "==" }])).toBe("0.value: value is required for ==");
    expect(issue([{ path: "$.a", op: "<", value: "fast" }])).toBe("0.value: value must be a number for <");
    expect(issue("x")).toBe(": assertions must be a list of { path, op, value }");
    expect(issue(Array.from({ length: 21 }, () => ({ path: "$", op: "exists" })))).toBe(": at most 20 assertions");
  });
});
