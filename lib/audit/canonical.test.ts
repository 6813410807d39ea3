import { describe, expect, it } from "vitest";
import { canonicalJson, eventHash, GENESIS_HASH, redact } from "./canonical";

describe("canonicalJson", () => {
  it("sorts keys at every depth so key order never changes the bytes", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(canonicalJson({ a: { c: null, d: [1, { y: 2, z: 1 }] }, b: 1 }));
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });
});

describe("redact", () => {
  it("replaces secret-looking values at any depth and keeps the rest", () => {
    const out = redact({ name: "DB_URL", value: "postgres://u:p@h/db", nested: { privateKey: "-----BEGIN", host: "h" }, password: "x" });
    expect(out).toEqual({ name: "DB_URL", value: "[redacted]", nested: { privateKey: "[redacted]", host: "h" }, password: "[redacted]" });
  });

  it("keeps booleans and nulls under secret-looking keys, and redacts objects and numbers there", () => {
    expect(redact({ passwordChanged: true, tokenRevoked: false, secret: null })).toEqual({ passwordChanged: true, tokenRevoked: false, secret: null });
    expect(redact({ token: { value: "dh_x" }, pin: 1, password: 1234 })).toEqual({ token: "[redacted]", pin: 1, password: "[redacted]" });
  });
});

describe("eventHash", () => {
  it("changes when any field or the previous hash changes", () => {
    const fields = {
      at: new Date(0),
      actorType: "user",
      actorId: "u1",
      actorLabel: "a@b.c",
      actorRole: "admin",
      ip: null,
      userAgent: null,
      action: "x",
      targetType: null,
      targetId: null,
      targetName: null,
      outcome: "success",
      summary: null,
    };
    const h = eventHash(GENESIS_HASH, fields);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(eventHash(GENESIS_HASH, { ...fields, action: "y" })).not.toBe(h);
    expect(eventHash("1".repeat(64), fields)).not.toBe(h);
  });
});
