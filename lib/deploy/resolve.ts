import type { ExecResult } from "../ssh";
import { commitInfoCommand, disambiguateCommand, fetchHistoryCommand, resolveRefCommand, type Layout } from "./layout";
import { isFullSha, pickRefFromLsRemote, shortShaOf } from "./refs";

/**
 * Turning what a person typed into one commit, and reading that commit's message, author and date — on a
 * server, in the app's fetch cache (lib/deploy/layout.ts). Used by a deploy's resolve step (on its first
 * server) and by the "what will change" look from the web process; each passes its own way to run a command.
 */
export interface CommitInfo {
  sha: string;
  /** The whole message (cut at MESSAGE_MAX characters). */
  message: string;
  /** "Name <email>", as git shows it. */
  author: string;
  committedAt: Date | null;
}

/** The repository as the worker's commands use it, and as logs and messages show it (credential masked). */
export interface RepoUrls {
  url: string;
  shown: string;
}

export type RunGit = (command: string, opts?: { show?: string; timeoutMs?: number; streamErrors?: boolean }) => Promise<ExecResult>;

/** The ref names no commit, or names several: the message is for the person who typed it. */
export class RefResolutionError extends Error {
  override name = "RefResolutionError";
}

export const MESSAGE_MAX = 4_000;

function lastLine(text: string): string {
  return text.trim().split("\n").at(-1) ?? "";
}

const UNKNOWN_COMMIT = /not our ref|couldn't find remote ref|unadvertised object/i;

/** A branch or tag (as the remote answers), a full SHA as given, or an abbreviated SHA that names exactly one commit. */
export async function resolveRef(run: RunGit, layout: Layout, repo: RepoUrls, ref: string): Promise<string> {
  if (isFullSha(ref.toLowerCase())) return ref.toLowerCase();
  const listed = await run(resolveRefCommand(repo.url, ref), { show: `git ls-remote ${repo.shown} ${ref}`, timeoutMs: 60_000 });
  if (listed.exitCode !== 0) throw new RefResolutionError(`git ls-remote ${repo.shown} failed (exit ${listed.exitCode ?? listed.signal}): ${lastLine(listed.stderr)}`);
  const named = pickRefFromLsRemote(listed.stdout, ref);
  if (named) return named;
  const prefix = shortShaOf(ref);
  if (!prefix) {
    const tooShort = /^[0-9a-fA-F]{4,6}$/.test(ref) ? " (an abbreviated commit SHA needs at least 7 characters)" : "";
    throw new RefResolutionError(`"${ref}" is not a branch or tag of ${repo.shown}${tooShort}`);
  }
  return resolveShortSha(run, layout, repo, prefix, ref);
}

/** Fetches every branch and tag with its history, then asks git which objects start with the prefix; only commits count. */
async function resolveShortSha(run: RunGit, layout: Layout, repo: RepoUrls, prefix: string, asTyped: string): Promise<string> {
  const fetched = await run(fetchHistoryCommand(layout, repo.url), { show: `git fetch ${repo.shown} (every branch and tag, to find commit ${asTyped})`, streamErrors: true });
  if (fetched.exitCode !== 0) throw new RefResolutionError(`could not fetch ${repo.shown} to look up ${asTyped}: ${lastLine(fetched.stderr) || `exit ${fetched.exitCode}`}`);
  const listed = await run(disambiguateCommand(layout, prefix), { timeoutMs: 60_000 });
  const commits = listed.stdout
    .split("\n")
    .map((line) => line.trim().split(" "))
    .filter(([sha, type]) => type === "commit" && sha !== undefined && isFullSha(sha))
    .map(([sha]) => sha!);
  if (commits.length === 0) throw new RefResolutionError(`no commit ${asTyped} in ${repo.shown}`);
  if (commits.length > 1) {
    const shown = commits.slice(0, 5).map((c) => c.slice(0, 12));
    throw new RefResolutionError(`${asTyped} is ambiguous: it matches ${commits.length} commits (${shown.join(", ")}${commits.length > 5 ? ", …" : ""}); type more of the SHA`);
  }
  return commits[0]!;
}

/** Parses COMMIT_LINE_FORMAT records (each field NUL-terminated, records on their own lines). */
export function parseCommitLines(text: string): { sha: string; message: string; author: string; committedAt: Date | null }[] {
  return text
    .split("\0\n")
    .map((record) => record.replace(/^\n+/, "").split("\0"))
    .filter(([sha]) => sha !== undefined && isFullSha(sha))
    .map(([sha, author, date, subject]) => ({ sha: sha!, author: author ?? "", committedAt: parseDate(date), message: subject ?? "" }));
}

function parseDate(text: string | undefined): Date | null {
  const ms = text ? Date.parse(text) : NaN;
  return Number.isNaN(ms) ? null : new Date(ms);
}

/** Fetches the commit into the cache if it is not there yet, and reads its message, author and date. */
export async function readCommitInfo(run: RunGit, layout: Layout, repo: RepoUrls, sha: string, asTyped = sha, timeoutMs?: number): Promise<CommitInfo> {
  const r = await run(commitInfoCommand(layout, repo.url, sha), { streamErrors: true, timeoutMs });
  if (r.exitCode !== 0) {
    const why = lastLine(r.stderr);
    if (UNKNOWN_COMMIT.test(r.stderr)) throw new RefResolutionError(`no commit ${asTyped} in ${repo.shown}`);
    throw new RefResolutionError(`could not fetch commit ${asTyped} from ${repo.shown}: ${why || `exit ${r.exitCode ?? r.signal}`}`);
  }
  const [found, author, date, ...body] = r.stdout.split("\0");
  if (found?.trim() !== sha) throw new RefResolutionError(`git did not describe commit ${asTyped} (answered ${JSON.stringify(r.stdout.slice(0, 80))})`);
  return { sha, author: author ?? "", committedAt: parseDate(date), message: body.join("\0").replace(/\s+$/, "").slice(0, MESSAGE_MAX) };
}

/** The first line of a message, for a one-line summary. */
export function subjectOf(message: string): string {
  return message.split("\n", 1)[0]!.trim();
}
