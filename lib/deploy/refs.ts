import { z } from "zod";

const FULL_SHA = /^[0-9a-f]{40}$/;

/**
 * A git ref as a person types it: a branch, a tag, or a commit SHA (full, or 7+ characters). Stricter than
 * git-check-ref-format on purpose: nothing that could read as an option, a revision expression or a
 * shell metacharacter survives, even though the ref is also quoted and passed after --end-of-options.
 */
export const gitRefSchema = z
  .string()
  .trim()
  .min(1, "is required")
  .max(200, "is too long")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, "must be a branch, tag or commit SHA (letters, digits, . _ / -; not starting with - or .)")
  .refine((r) => !r.includes(".."), "must not contain ..")
  .refine((r) => !r.includes("//") && !r.endsWith("/") && !r.endsWith("."), "is not a valid git ref")
  .refine((r) => !r.endsWith(".lock") && !r.split("/").some((part) => part.startsWith(".")), "is not a valid git ref");

export function isFullSha(ref: string): boolean {
  return FULL_SHA.test(ref);
}

/** An abbreviated commit SHA as a person types it (7 to 39 hex characters, either case), lowercased; else null. */
export function shortShaOf(ref: string): string | null {
  return /^[0-9a-fA-F]{7,39}$/.test(ref) ? ref.toLowerCase() : null;
}

/**
 * Picks the commit a ref names from `git ls-remote <repo> <ref> <ref>^{}` output (resolveRefCommand),
 * preferring an exact full ref, then a branch, then a tag; for a tag, an annotated tag's peeled commit
 * (`…^{}`) before the tag object's own id, which is not a commit.
 */
export function pickRefFromLsRemote(output: string, ref: string): string | null {
  const refs = new Map<string, string>();
  for (const line of output.split("\n")) {
    const [sha, name] = line.trim().split(/\s+/);
    if (sha && name && FULL_SHA.test(sha)) refs.set(name, sha);
  }
  const candidates = [`${ref}^{}`, ref, `refs/heads/${ref}`, `refs/tags/${ref}^{}`, `refs/tags/${ref}`];
  for (const c of candidates) {
    const sha = refs.get(c);
    if (sha) return sha;
  }
  return null;
}
