import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { knownAuditActionNames } from "./names";

describe("knownAuditActionNames", () => {
  it("lists the name of every defineAction in lib/actions and the finish events", () => {
    const names = knownAuditActionNames();
    const dir = join(__dirname);
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))) {
      const src = readFileSync(join(dir, file), "utf8");
      for (const m of src.matchAll(/defineAction\(\{\s*name: "([^"]+)"/g)) expect(names, `${file}: ${m[1]}`).toContain(m[1]);
    }
    expect(names).toEqual(expect.arrayContaining(["deploy.finish", "rollback.finish", "deploy.start", "auth.signin"]));
    expect([...names].sort()).toEqual(names);
    expect(new Set(names).size).toBe(names.length);
  });
});
