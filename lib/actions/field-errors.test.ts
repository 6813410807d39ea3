import { describe, expect, it } from "vitest";
import { z } from "zod";
import { serverInputSchema, serverUpdateSchema } from "../servers/schemas";
import { monitorInputSchema } from "../health/monitors";
import { formErrorsOf, issueLine } from "./field-errors";
import { strictInput } from "./strict";
import { createServerAction, updateServerAction } from "./servers";
import { updateMonitorAction } from "./monitors";
import { zodMessage } from "./core";
import { toErrorBody } from "./server-action";
import { ValidationError } from "../errors";

const issuesOf = (schema: z.ZodType, input: unknown) => schema.safeParse(input).error?.issues ?? [];

describe("form errors from zod issues", () => {
  it("puts every problem on its field at once, in plain words", () => {
    const errors = formErrorsOf(issuesOf(serverInputSchema, { name: "", host: "bad host!", port: "99999", username: "Root" }));
    expect(errors).toEqual({
      fieldErrors: {
        name: "This field is required.",
        host: "Must be a hostname or an IP address.",
        port: "Must be at most 65535.",
        username: "Must be a valid unix user name.",
      },
    });
  });

  it("rewrites zod's default messages", () => {
    const schema = z.object({ email: z.email(), n: z.coerce.number(), s: z.string(), e: z.enum(["a", "b"]), long: z.string().max(3) });
    const { fieldErrors } = formErrorsOf(issuesOf(schema, { email: "x", n: "x", e: "c", long: "abcd" }));
    expect(fieldErrors).toEqual({ email: "Enter an email address.", n: "Must be a number.", s: "This field is required.", e: "Must be one of a, b.", long: "Must be at most 3 characters." });
  });

  it("places the shared string check's dotted paths, and sends problems without a field to formError", () => {
    expect(formErrorsOf([{ path: "env.FOO", message: "must not contain a NUL byte" }]).fieldErrors).toEqual({ "env.FOO": "Must not contain a NUL byte." });
    expect(formErrorsOf([], "Server not found")).toEqual({ fieldErrors: {}, formError: "Server not found" });
  });

  it("keys a nested problem by its whole path and drops the field's name from the words", () => {
    const issues = [
      { path: ["config", "routingKey"], message: "must be the 32-character integration key" },
      { path: ["slug"], message: "slug: at most 64 characters" },
      { path: ["groups", 1, "name"], message: "name is required" },
      { path: ["title"], message: "the title must be short" },
    ];
    expect(formErrorsOf(issues).fieldErrors).toEqual({ "config.routingKey": "Must be the 32-character integration key.", slug: "At most 64 characters.", "groups.1.name": "This field is required.", title: "The title must be short." });
  });

  it("places a lib/ refusal that names its field (no zod issues) on that field", () => {
    const body = toErrorBody(new ValidationError('groups.0.monitorIds.1: no monitor has the id "x"'));
    expect(body.fieldErrors).toEqual({ "groups.0.monitorIds.1": 'No monitor has the id "x".' });
    expect(toErrorBody(new ValidationError("the window ends before it starts")).fieldErrors).toBeUndefined();
  });
});

describe("strict action inputs (issue 12)", () => {
  it("refuses an unknown field naming it, in the API's one line", () => {
    const parsed = updateServerAction.input.safeParse({ serverId: "s", nmae: "x" });
    expect(parsed.success).toBe(false);
    expect(zodMessage(parsed.error!)).toBe('unknown field "nmae"');
    expect(issueLine({ code: "unrecognized_keys", keys: ["a", "b"], path: [] })).toBe('unknown fields "a", "b"');
  });

  it("keeps defaults, transforms and refinements, and each variant of a union strict", () => {
    expect(createServerAction.input.parse({ name: "web", host: "10.0.0.1", username: "deploy", hostKeyFingerprint: "" })).toEqual({ name: "web", host: "10.0.0.1", port: 22, username: "deploy" });
    const monitor = strictInput(monitorInputSchema);
    expect(monitor.safeParse({ type: "tcp", name: "db", host: "db.internal", port: 5432, url: "https://x.example" }).error?.issues[0]?.code).toBe("unrecognized_keys");
    expect(monitor.safeParse({ type: "tcp", name: "db", host: "db.internal", port: 5432, intervalSeconds: 10, timeoutSeconds: 20 }).error?.issues[0]?.path).toEqual(["timeoutSeconds"]);
    expect(strictInput(serverUpdateSchema).safeParse({ serverId: "s", port: "22" }).data).toEqual({ serverId: "s", port: 22 });
  });

  it("a monitor PATCH takes the fields of any monitor type, and no other", () => {
    expect(updateMonitorAction.input.safeParse({ id: "m", intervalSeconds: 30, command: "true", url: "https://x.example" }).success).toBe(true);
    expect(zodMessage(updateMonitorAction.input.safeParse({ id: "m", intervalSecond: 30 }).error!)).toBe('unknown field "intervalSecond"');
  });

  it("describes the closed body in JSON Schema", () => {
    const json = z.toJSONSchema(updateServerAction.input, { io: "input" }) as { additionalProperties?: unknown };
    expect(json.additionalProperties).toBe(false);
  });
});
