import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const SOURCE_ROOTS = ["app", "components", "lib", "public", "prisma/schema.prisma", "package-lock.json", "next.config.mjs", "postcss.config.mjs"];

function walk(entry: string, out: string[]): void {
  if (!existsSync(entry)) return;
  const st = statSync(entry);
  if (st.isDirectory()) {
    if (entry.endsWith(path.join("lib", "generated"))) return;
    for (const name of readdirSync(entry).sort()) walk(path.join(entry, name), out);
  } else {
    out.push(`${entry}:${st.size}:${Math.floor(st.mtimeMs)}`);
  }
}

/** A fingerprint of everything that goes into `next build`: a changed checkout rebuilds on the next start. */
export function sourceFingerprint(root: string): string {
  const files: string[] = [];
  for (const r of SOURCE_ROOTS) walk(path.join(root, r), files);
  return createHash("sha256").update(files.join("\n")).digest("hex");
}

export function stampFile(root: string, distDir: string): string {
  return path.join(root, distDir, "deckhand-build-stamp");
}

export function buildIsCurrent(root: string, distDir: string): boolean {
  const stamp = stampFile(root, distDir);
  return existsSync(path.join(root, distDir, "BUILD_ID")) && existsSync(stamp) && readFileSync(stamp, "utf8") === sourceFingerprint(root);
}
