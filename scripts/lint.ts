/**
 * `npm run lint`: ESLint (eslint.config.mjs; a warning fails like an error) and `prettier --check` (.prettierrc.json),
 * both always run, side by side. Each is one test in the closing `N passed, N failed` line, which `npm test` reads;
 * a failure is one `[lint] FAIL: …` line naming what to fix. `npm run format` rewrites the files Prettier flags.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { ESLint } from "eslint";

const root = path.resolve(import.meta.dirname, "..");
const say = (m: string) => process.stdout.write(`[lint] ${m}\n`);

interface Check {
  name: string;
  /** Empty when the check passed. */
  failure: string;
}

async function runEslint(): Promise<Check> {
  const eslint = new ESLint({ cwd: root });
  const results = await eslint.lintFiles(["."]);
  const output = await (await eslint.loadFormatter("stylish")).format(results);
  if (output) process.stdout.write(output);
  const problems = results.flatMap((r) => r.messages.map((m) => `${path.relative(root, r.filePath)}:${m.line} ${m.ruleId ?? "parse"} ${m.message.split("\n")[0]}`));
  if (problems.length === 0) return { name: "eslint", failure: "" };
  return { name: "eslint", failure: `${problems.length} problem${problems.length === 1 ? "" : "s"}: ${problems.slice(0, 5).join("; ")}${problems.length > 5 ? "; …" : ""}` };
}

/** `prettier --check .`: it names each unformatted file on stderr as `[warn] file`. */
function runPrettier(): Promise<Check> {
  const child = spawn(process.execPath, [path.join(root, "node_modules", "prettier", "bin", "prettier.cjs"), "--check", "."], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr.on("data", (c: Buffer) => (out += c.toString()));
  return new Promise((resolve) =>
    child.on("close", (code) => {
      const files = [...out.matchAll(/^\[warn\] (?!Code style issues)(.+)$/gm)].map((m) => m[1]!);
      for (const f of files) say(`not formatted: ${f}`);
      if (code === 0) return resolve({ name: "prettier", failure: "" });
      const detail = files.length ? `${files.length} file${files.length === 1 ? "" : "s"} not formatted (npm run format): ${files.slice(0, 5).join(", ")}${files.length > 5 ? ", …" : ""}` : (out.trim().split("\n")[0] ?? `exit ${code}`);
      resolve({ name: "prettier", failure: detail });
    }),
  );
}

const started = Date.now();
const checks = await Promise.all([runEslint().catch((err: unknown) => ({ name: "eslint", failure: err instanceof Error ? err.message : String(err) })), runPrettier()]);
for (const c of checks) say(c.failure ? `FAIL: ${c.name}: ${c.failure}` : `ok: ${c.name}`);
say(`finished in ${Math.round((Date.now() - started) / 1000)}s`);
const failed = checks.filter((c) => c.failure).length;
process.stdout.write(`${checks.length - failed} passed, ${failed} failed\n`);
process.exitCode = failed > 0 ? 1 : 0;
