import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/**
 * `npm run check:rooms` against a small tree with one deliberate break per rule: each rule must fail by its own
 * name on the file that breaks it, and pass where the tree keeps it (the project itself is checked by npm test).
 */
const repo = path.resolve(import.meta.dirname, "..");
const tree = mkdtempSync(path.join(os.tmpdir(), "deckhand-rooms-"));
afterAll(() => rmSync(tree, { recursive: true, force: true }));

function file(rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(tree, rel)), { recursive: true });
  writeFileSync(path.join(tree, rel), text);
}

function checkRooms(): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [path.join(repo, "node_modules/tsx/dist/cli.mjs"), path.join(repo, "scripts/check-rooms.ts"), "--root", tree], { encoding: "utf8", timeout: 60_000 });
  return { code: r.status, out: r.stdout + r.stderr };
}

/** The lines a rule printed after its FAIL line (its findings), or null when it passed. */
function findingsOf(out: string, rule: string): string | null {
  const m = new RegExp(`\\[rooms\\] FAIL: ${rule}\\n((?:    .*\\n)*)`).exec(out);
  return m ? m[1]! : null;
}

describe("check:rooms", () => {
  copyFileSync(path.join(repo, ".dependency-cruiser.cjs"), path.join(tree, ".dependency-cruiser.cjs"));
  file("tsconfig.json", JSON.stringify({ compilerOptions: { module: "esnext", moduleResolution: "bundler", jsx: "react-jsx", strict: true, paths: { "@/*": ["./*"] } } }));
  file("lib/db/client.ts", `export const db = () => "db";\n`);
  file("lib/env.ts", `export const env = () => ({});\n`);
  file("lib/deploy/runner.ts", `import { db } from "../db/client";\nexport const run = () => db();\n`);
  file("lib/ssh/connect.ts", `import { db } from "../db/client";\nexport const connect = () => db();\n`);
  file("lib/health/checker.ts", `import { run } from "../deploy/runner";\nimport { cycleB } from "../alerts/b";\nexport const check = () => run() + cycleB;\n`);
  file("lib/alerts/b.ts", `import { check } from "../health/checker";\nexport const cycleB = "b";\nexport const again = () => check();\n`);
  file("lib/jobs/queue.ts", `import { run } from "../deploy/runner";\nexport const queue = () => run();\n`);
  file("lib/queries/apps.ts", `import type { Row } from "../db/types";\nexport type { Row };\nexport const listApps = () => [];\n`);
  file("lib/db/types.ts", `export interface Row { id: string }\n`);
  file("app/page.tsx", `import { db } from "@/lib/db/client";\nimport { listApps } from "@/lib/queries/apps";\nexport default function Page() { return <p>{db()}{listApps().length}</p>; }\n`);
  file("components/row.tsx", `import { run } from "@/lib/deploy/runner";\nimport type { Row } from "@/lib/queries/apps";\nexport function RowView(p: { row: Row }) { return <b>{p.row.id}{run()}</b>; }\n`);
  file("lib/deploy/long.ts", `export function long(): number {\n  let n = 0;\n${"  n++;\n".repeat(130)}  return n;\n}\n${"// filler\n".repeat(280)}`);
  file("lib/deploy/long.test.ts", `export function allowedInTests(): number {\n${"  void 0;\n".repeat(500)}  return 1;\n}\n`);

  const { code, out } = checkRooms();

  it("fails, naming every rule the tree breaks", () => {
    expect(code, out).toBe(1);
    expect(findingsOf(out, "app-no-database-or-ssh")).toContain("app/page.tsx → lib/db/client.ts");
    expect(findingsOf(out, "app-only-front-rooms")).toContain("app/page.tsx → lib/db/client.ts");
    expect(findingsOf(out, "components-no-server-modules")).toContain("components/row.tsx → lib/deploy/runner.ts");
    expect(findingsOf(out, "ssh-no-database")).toContain("lib/ssh/connect.ts → lib/db/client.ts");
    expect(findingsOf(out, "health-and-alerts-not-deploy")).toContain("lib/health/checker.ts → lib/deploy/runner.ts");
    expect(findingsOf(out, "jobs-no-domain")).toContain("lib/jobs/queue.ts → lib/deploy/runner.ts");
    expect(findingsOf(out, "no-cycles-between-lib-folders")).toMatch(/lib\/(health|alerts)/);
    expect(findingsOf(out, "no-circular-modules")).toMatch(/lib\/(health\/checker|alerts\/b)\.ts/);
    expect(findingsOf(out, "file-at-most-400-lines")).toContain("lib/deploy/long.ts is 414 lines");
    expect(findingsOf(out, "function-at-most-120-lines")).toContain("lib/deploy/long.ts:1 long is 134 lines");
  });

  it("lets type-only imports, tests and the front rooms through", () => {
    expect(out).toContain("[rooms] ok: only-lib-touches-prisma");
    expect(findingsOf(out, "components-no-server-modules")).not.toContain("lib/queries/apps.ts");
    expect(findingsOf(out, "app-only-front-rooms")).not.toContain("lib/queries/apps.ts");
    expect(out).not.toContain("long.test.ts");
  });
});
