/**
 * docs/deploy.md as data: its command blocks by name, and the order `npm run docs:check` runs them in.
 * Each command block is preceded by `<!-- doc-check: <name> -->`; a block shown as the content of a file in
 * the repository by `<!-- doc-check: file <path> -->`.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

export const DEPLOY_DOC = path.resolve(import.meta.dirname, "../../docs/deploy.md");

export interface DocBlock {
  /** The marker's name ("release"), or "file <path>". */
  name: string;
  lang: string;
  text: string;
  /** 1-based line of the opening fence. */
  line: number;
}

export interface ParsedDoc {
  blocks: DocBlock[];
  /** Fenced blocks with no marker: a `sh` one among them is a command nothing runs. */
  unmarked: { lang: string; line: number }[];
}

export function parseDeployDoc(markdown = readFileSync(DEPLOY_DOC, "utf8")): ParsedDoc {
  const lines = markdown.split("\n");
  const blocks: DocBlock[] = [];
  const unmarked: ParsedDoc["unmarked"] = [];
  let marker: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const m = /^<!-- doc-check: (.+?) -->$/.exec(line.trim());
    if (m) {
      marker = m[1]!;
      continue;
    }
    const fence = /^```(\w*)\s*$/.exec(line);
    if (!fence) {
      if (line.trim() !== "") marker = null;
      continue;
    }
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    if (marker) blocks.push({ name: marker, lang: fence[1] ?? "", text: body.join("\n") + "\n", line: start + 1 });
    else unmarked.push({ lang: fence[1] ?? "", line: start + 1 });
    marker = null;
  }
  return { blocks, unmarked };
}

/**
 * The life of a Deckhand server, as the check plays it: install; a backup; a restore of that backup
 * (after a change it must undo); an upgrade to a new commit; a rollback; the log settings.
 */
export const DOC_SESSIONS: { name: string; blocks: string[] }[] = [
  { name: "first install", blocks: ["prerequisites", "database", "user", "env-file", "helper", "release", "smoke", "units", "switch", "health", "first-admin"] },
  { name: "backup", blocks: ["helper", "backup"] },
  { name: "restore", blocks: ["helper", "restore", "drop-replaced"] },
  { name: "upgrade", blocks: ["helper", "upgrade-backup", "release", "smoke", "switch", "health", "cleanup"] },
  { name: "rollback", blocks: ["helper", "rollback"] },
  { name: "logs", blocks: ["helper", "journald"] },
];
