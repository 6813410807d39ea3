import { readdirSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import type { Principal } from "../auth/roles";
import { ValidationError } from "../errors";
import { inputJsonSchema } from "../openapi/json-schema";
import { runAction, type ActionDefinition } from "./core";
import { assertCleanInput, findBadString } from "./input-strings";
import { HOSTILE_STRINGS, hostileInputs } from "./testing/hostile-inputs";

describe("findBadString", () => {
  it("passes clean input of any shape", () => {
    expect(findBadString({ a: "x", b: [1, "two", { c: null, d: true }], e: "emoji 😀 pairs are fine", f: new Date() })).toBeNull();
    expect(findBadString("plain")).toBeNull();
    expect(findBadString(undefined)).toBeNull();
  });

  it("names the first bad place: values, nested values, array items and object keys", () => {
    expect(findBadString({ env: { FOO: "a\u0000b" } })?.message).toBe("env.FOO: must not contain a NUL byte");
    expect(findBadString({ serverIds: ["ok", "x\ud800"] })?.message).toBe("serverIds.1: must not contain an unpaired surrogate (text that is not valid Unicode)");
    expect(findBadString({ a: { b: [{ c: "\udc00" }] } })?.path).toBe("a.b.0.c");
    expect(findBadString({ first: "\u0000", second: "\u0000" })?.path).toBe("first");
    expect(findBadString("\u0000")?.message).toBe("input: must not contain a NUL byte");
    // A bad key is named JSON-escaped, so the message itself carries no NUL or surrogate further.
    const key = findBadString({ env: { "A\u0000B": "x" } })!;
    expect(key.message).toBe('env["A\\u0000B"]: the name must not contain a NUL byte');
    expect(key.message.includes("\u0000")).toBe(false);
    expect(findBadString({ ["\ud800"]: 1 })!.message).toMatch(/^\["\\ud800"\]: the name must not contain an unpaired surrogate/);
  });

  it("tells a lone surrogate from a pair, at either end of the string", () => {
    for (const s of ["\ud800", "x\ud800", "\ud800x", "\udfff", "x\udfffy", "\udc00\ud800"]) expect(findBadString(s), JSON.stringify(s)).not.toBeNull();
    for (const s of ["\ud83d\ude00", "a\ud83d\ude00b", "\u{10ffff}"]) expect(findBadString(s)).toBeNull();
  });

  it("walks very deep input without overflowing the stack", () => {
    let deep: unknown = "\u0000";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findBadString(deep)?.problem).toMatch(/NUL/);
  });

  it("assertCleanInput throws a 400 ValidationError", () => {
    expect(() => assertCleanInput({ name: "a\u0000" })).toThrow(ValidationError);
    expect(assertCleanInput({ name: "ok" })).toEqual({ name: "ok" });
  });
});

/** Every action definition any lib/actions/*.ts file exports, found by shape, so a new action is covered without a list. */
async function allActionDefinitions(): Promise<ActionDefinition<z.ZodType, unknown>[]> {
  const dir = import.meta.dirname;
  const files = readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
  const found: ActionDefinition<z.ZodType, unknown>[] = [];
  for (const file of files) {
    const mod = (await import(path.join(dir, file))) as Record<string, unknown>;
    for (const value of Object.values(mod)) {
      const def = value as Partial<ActionDefinition<z.ZodType, unknown>> | null;
      if (def && typeof def === "object" && typeof def.name === "string" && typeof def.permission === "string" && def.input instanceof z.ZodType && typeof def.handler === "function") {
        found.push(def as ActionDefinition<z.ZodType, unknown>);
      }
    }
  }
  return found;
}

describe("every action refuses a NUL byte and a lone surrogate in every string field, through runAction", () => {
  let admin: Principal;
  const meta = { ip: "198.51.100.77", userAgent: "vitest-input-strings" };

  beforeAll(async () => {
    const u = await db().user.create({ data: { email: "strings-admin@example.test", passwordHash: "x", role: "admin" } });
    admin = { kind: "user", id: u.id, email: u.email, name: null, role: "admin" };
  });

  it("answers a 400 naming the field for each, and writes nothing but the refusal's audit event", async () => {
    const defs = await allActionDefinitions();
    expect(defs.length).toBeGreaterThan(20);
    const counts = async () => Promise.all([db().app.count(), db().server.count(), db().monitor.count(), db().notificationChannel.count(), db().apiToken.count(), db().user.count(), db().deploy.count(), db().setting.count()]);
    const before = await counts();
    let attacked = 0;
    for (const def of defs) {
      for (const bad of Object.values(HOSTILE_STRINGS)) {
        for (const { field, input } of hostileInputs(inputJsonSchema(def.input), bad)) {
          const err = await runAction(def, admin, input, meta).then(
            () => null,
            (e: unknown) => e,
          );
          expect(err, `${def.name} ${field}`).toBeInstanceOf(ValidationError);
          expect((err as ValidationError).message, `${def.name} ${field}`).toMatch(new RegExp(`^${field.replace(/[.[\]]/g, "\\$&")}.*(NUL byte|unpaired surrogate)`));
          attacked++;
        }
      }
    }
    expect(attacked).toBeGreaterThan(60);
    expect(await counts()).toEqual(before);
    const refusals = await db().auditEvent.count({ where: { actorId: (admin as { id: string }).id, outcome: "failure" } });
    expect(refusals).toBe(attacked);
  });
});
