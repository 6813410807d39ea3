import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ALL_ENV_VARIABLES, envDefaults } from "./env";

const EXAMPLE = path.resolve(import.meta.dirname, "..", ".env.example");

interface ExampleEntry {
  key: string;
  value: string;
  /** The comment line just above the variable: its one-line meaning. */
  meaning: string | undefined;
}

/** `# KEY=value` lines (commented out at their default), each with the comment line above it. */
function parseEnvExample(text: string): ExampleEntry[] {
  const lines = text.split("\n");
  const entries: ExampleEntry[] = [];
  lines.forEach((line, i) => {
    const m = /^#?\s*([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!m) return;
    const above = lines[i - 1];
    const meaning = above?.startsWith("# ") && !/^#\s*[A-Z][A-Z0-9_]*=/.test(above) ? above.slice(2).trim() : undefined;
    entries.push({ key: m[1]!, value: m[2]!.trim(), meaning });
  });
  return entries;
}

describe(".env.example", () => {
  const entries = parseEnvExample(readFileSync(EXAMPLE, "utf8"));

  it("lists every variable lib/env.ts reads, and no other", () => {
    const listed = entries.map((e) => e.key);
    const problems = [
      ...ALL_ENV_VARIABLES.filter((k) => !listed.includes(k)).map((k) => `${k} is read by lib/env.ts but missing from .env.example`),
      ...listed.filter((k) => !ALL_ENV_VARIABLES.includes(k)).map((k) => `${k} is in .env.example but lib/env.ts does not read it`),
      ...listed.filter((k, i) => listed.indexOf(k) !== i).map((k) => `${k} is in .env.example twice`),
    ];
    expect(problems, problems.join("; ")).toEqual([]);
  });

  it("gives each variable its default (empty when it has none) and a one-line meaning above it", () => {
    const defaults = envDefaults();
    for (const { key, value, meaning } of entries) {
      if (!(key in defaults)) continue;
      expect(value, `${key}'s value in .env.example is its default`).toBe(defaults[key] ?? "");
      expect(meaning, `${key} has a comment line above it saying what it means`).toBeTruthy();
    }
  });
});
