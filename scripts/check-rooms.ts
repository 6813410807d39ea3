/**
 * `npm run check:rooms`: the layout rules that keep each piece of state with one owner, checked against the code.
 *   1. dependency-cruiser with .dependency-cruiser.cjs: which room may import which (a violation names its rule)
 *   2. no source file over 400 lines, no function over 120 (a closure counts as part of the function around it)
 * Tests, benches, test harnesses and generated code are left out of 2. Each rule is one test in the closing
 * `N passed, N failed` line, which `npm test` reads. `--root DIR` checks another tree (the test of this script).
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { cruise, type ICruiseResult, type IConfiguration } from "dependency-cruiser";
import ts from "typescript";

const MAX_FILE_LINES = 400;
const MAX_FUNCTION_LINES = 120;
const SOURCE_DIRS = ["lib", "app", "components", "bin", "scripts"];
/** Tests that live outside a test folder: the scale test and the deploy-doc check are run by `npm test`. */
const TEST_SCRIPTS = new Set(["scripts/scale-test.ts", "scripts/deploy-doc-check.ts"]);

const argv = process.argv.slice(2);
const rootArg = argv.indexOf("--root");
const root = path.resolve(rootArg >= 0 ? argv[rootArg + 1]! : path.join(import.meta.dirname, ".."));

interface Finding {
  rule: string;
  where: string;
}

function isProductSource(rel: string): boolean {
  if (!/\.(ts|tsx|mjs)$/.test(rel) || /\.d\.ts$/.test(rel)) return false;
  if (/\.(test|spec)\.tsx?$/.test(rel) || /(^|\/)(testing|generated)(\/|\.ts$)/.test(rel)) return false;
  return !TEST_SCRIPTS.has(rel);
}

function listSources(dir: string): string[] {
  const abs = path.join(root, dir);
  let names: string[];
  try {
    names = readdirSync(abs);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const rel = path.posix.join(dir, name);
    if (name === "node_modules" || name.startsWith(".")) return [];
    return statSync(path.join(root, rel)).isDirectory() ? listSources(rel) : isProductSource(rel) ? [rel] : [];
  });
}

/** Every function-like node longer than the limit; nested ones are measured too (each is its own function). */
function longFunctions(rel: string, text: string): Finding[] {
  const source = ts.createSourceFile(rel, text, ts.ScriptTarget.Latest, true, rel.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: Finding[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      if (lines > MAX_FUNCTION_LINES) {
        const name = ts.getNameOfDeclaration(node as ts.Declaration)?.getText(source) ?? "(anonymous)";
        found.push({ rule: "function-at-most-120-lines", where: `${rel}:${start + 1} ${name} is ${lines} lines` });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function sizeFindings(): { files: number; findings: Finding[] } {
  const files = SOURCE_DIRS.flatMap(listSources);
  const findings: Finding[] = [];
  for (const rel of files) {
    const text = readFileSync(path.join(root, rel), "utf8");
    const lines = text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
    if (lines > MAX_FILE_LINES) findings.push({ rule: "file-at-most-400-lines", where: `${rel} is ${lines} lines` });
    findings.push(...longFunctions(rel, text));
  }
  return { files: files.length, findings };
}

async function dependencyFindings(): Promise<{ rules: string[]; modules: number; findings: Finding[] }> {
  const configPath = path.join(root, ".dependency-cruiser.cjs");
  const { default: config } = (await import(configPath)) as { default: IConfiguration };
  const previous = process.cwd();
  process.chdir(root);
  try {
    const dirs = ["lib", "app", "components"].filter((d) => statSync(path.join(root, d), { throwIfNoEntry: false })?.isDirectory());
    const result = await cruise(dirs, { validate: true, ruleSet: { forbidden: config.forbidden }, ...config.options }, undefined, {
      tsConfig: ts.readConfigFile(path.join(root, "tsconfig.json"), ts.sys.readFile).config,
    });
    const output = result.output as ICruiseResult;
    const findings = output.summary.violations.map((v) => {
      const cycle = v.cycle?.length ? ` (cycle: ${[v.from, ...v.cycle.map((c) => c.name)].join(" → ")})` : "";
      return { rule: v.rule.name, where: `${v.from} → ${v.to}${cycle}` };
    });
    return { rules: (config.forbidden ?? []).map((r) => r.name ?? "unnamed"), modules: output.summary.totalCruised, findings };
  } finally {
    process.chdir(previous);
  }
}

async function main(): Promise<number> {
  const deps = await dependencyFindings();
  const sizes = sizeFindings();
  const rules = [...deps.rules, "file-at-most-400-lines", "function-at-most-120-lines"];
  const findings = [...deps.findings, ...sizes.findings];
  let failed = 0;
  for (const rule of rules) {
    const mine = findings.filter((f) => f.rule === rule);
    if (mine.length === 0) {
      process.stdout.write(`[rooms] ok: ${rule}\n`);
      continue;
    }
    failed++;
    process.stdout.write(`[rooms] FAIL: ${rule}\n${mine.map((f) => `    ${f.where}`).join("\n")}\n`);
  }
  process.stdout.write(`[rooms] ${deps.modules} modules cruised, ${sizes.files} source files measured\n`);
  process.stdout.write(`${rules.length - failed} passed, ${failed} failed\n`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`[rooms] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(2);
  },
);
