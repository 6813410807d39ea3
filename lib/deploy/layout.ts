import { ENV_NAME } from "../apps/schemas";
import { shellQuote as q } from "../ssh";

/**
 * The Capistrano layout on every target, and the remote commands that act on it. Every value that came
 * from a person (paths, repo URL, SHAs, release names) goes through shellQuote; the admin's own
 * install/build/smoke/restart commands are shell commands by design and run as given, inside the release.
 */
export interface Layout {
  root: string;
  releases: string;
  shared: string;
  current: string;
  cache: string;
}

export function layoutOf(deployPath: string): Layout {
  const root = deployPath.replace(/\/+$/, "") || "/";
  return {
    root,
    releases: `${root}/releases`,
    shared: `${root}/shared`,
    current: `${root}/current`,
    cache: `${root}/shared/.deckhand-repo.git`,
  };
}

export const RELEASE_DIR = /^\d{14}-[0-9a-f]{7}$/;

/**
 * `<UTC timestamp>-<short sha>`: sorts by time, names its commit. The timestamp is one second past the app's
 * latest release when that one is as new or newer (two deploys of one commit in the same second, or a clock
 * set back), so no two releases of an app share a directory and the newest always sorts last.
 */
export function releaseDirName(at: Date, sha: string, latestDir?: string | null): string {
  const latest = latestDir && RELEASE_DIR.test(latestDir) ? timestampOf(latestDir) : null;
  const when = latest !== null && latest >= Math.floor(at.getTime() / 1000) * 1000 ? new Date(latest + 1000) : at;
  const ts = when.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  return `${ts}-${sha.slice(0, 7)}`;
}

function timestampOf(dir: string): number {
  const [y, mo, d, h, mi, s] = [dir.slice(0, 4), dir.slice(4, 6), dir.slice(6, 8), dir.slice(8, 10), dir.slice(10, 12), dir.slice(12, 14)].map(Number);
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
}
const FULL_SHA = /^[0-9a-f]{40}$/;

const strict = "set -eu";

export function prepareCommand(l: Layout): string {
  return `${strict}; mkdir -p ${q(l.releases)} ${q(l.shared)}; test -w ${q(l.releases)}`;
}

/** Reads the .env content from stdin; written to a temp file then renamed, mode 0600 from the start. */
export function writeEnvCommand(l: Layout): string {
  const tmp = `${l.shared}/.env.deckhand-tmp`;
  return `${strict}; umask 077; cat > ${q(tmp)}; chmod 600 ${q(tmp)}; mv -f ${q(tmp)} ${q(`${l.shared}/.env`)}`;
}

/**
 * What the remote calls `ref` now. The second pattern asks for an annotated tag's peeled commit too
 * (`refs/tags/v1^{}`): git ls-remote lists that line only when a pattern names it, and the tag object's own id
 * is not a commit to deploy.
 */
export function resolveRefCommand(repoUrl: string, ref: string): string {
  return `git ls-remote --end-of-options ${q(repoUrl)} ${q(ref)} ${q(`${ref}^{}`)}`;
}

function cacheGit(l: Layout): string {
  return `git --git-dir=${q(l.cache)}`;
}

/**
 * Holds the fetch cache's lock for the rest of the command (where flock exists): a deploy's fetch and a "what
 * will change" look from the web process may meet in the same cache. The lock file sits beside the cache, so a
 * rebuild keeps it.
 */
function cacheLocked(l: Layout): string {
  return [
    `mkdir -p ${q(l.shared)}`,
    `exec 9>>${q(`${l.cache}.lock`)}`,
    `if command -v flock >/dev/null 2>&1; then flock -w 120 9 || { echo "the fetch cache is busy: another fetch has held it for 2 minutes" >&2; exit 75; }; fi`,
    `test -d ${q(l.cache)} || git init -q --bare ${q(l.cache)}`,
  ].join("; ");
}

/**
 * A fetch into the cache. One killed half-way (an interrupted or cancelled deploy) leaves lock files that fail
 * every later fetch until removed by hand: it is only a cache, so with stale locks in it (no other fetch runs:
 * we hold its lock) it is rebuilt and the fetch tried once more. `retryArgs` are the arguments for the empty cache.
 */
function fetchIntoCache(l: Layout, args: string, retryArgs = args): string {
  const rebuild = `echo "fetch failed; rebuilding the fetch cache and trying once more (a fetch interrupted half-way leaves it locked)" >&2; rm -rf ${q(l.cache)}; git init -q --bare ${q(l.cache)}; ${cacheGit(l)} fetch -q ${retryArgs}`;
  return `${cacheGit(l)} fetch -q ${args} || { if [ -n "$(find ${q(l.cache)} -name '*.lock' 2>/dev/null | head -n 1)" ]; then ${rebuild}; else exit 3; fi; }`;
}

/**
 * Makes sure one commit is in the cache. A cache that holds whole history (fetched to resolve a short SHA or to
 * list changes) stays whole: a --depth 1 fetch would cut its history again.
 */
function ensureCommitInCache(l: Layout, repoUrl: string, sha: string): string {
  const target = `--end-of-options ${q(repoUrl)} ${q(sha)}`;
  return [
    `if ${cacheGit(l)} cat-file -e ${q(`${sha}^{commit}`)} 2>/dev/null; then :; else`,
    `if [ ! -f ${q(`${l.cache}/shallow`)} ] && [ -n "$(${cacheGit(l)} for-each-ref --count=1 refs/heads/)" ]; then depth=""; else depth="--depth 1"; fi;`,
    `${fetchIntoCache(l, `$depth ${target}`, `--depth 1 ${target}`)}; fi`,
  ].join(" ");
}

/** Fetches exactly one commit into a bare cache (incremental across releases) and exports it into the release. */
export function fetchCommand(l: Layout, repoUrl: string, sha: string, dir: string): string {
  const release = `${l.releases}/${dir}`;
  return [
    strict,
    cacheLocked(l),
    ensureCommitInCache(l, repoUrl, sha),
    `mkdir ${q(release)}`,
    `${cacheGit(l)} archive --format=tar ${q(sha)} | tar -x -C ${q(release)}`,
    `printf '%s\\n' ${q(sha)} > ${q(`${release}/REVISION`)}`,
    `echo "fetched ${sha.slice(0, 12)} into releases/${dir}"`,
  ].join("; ");
}

/** Every branch and tag of the remote with its whole history, into the cache (pruned: a deleted branch goes). */
export function fetchHistoryCommand(l: Layout, repoUrl: string): string {
  const refs = `--end-of-options ${q(repoUrl)} '+refs/heads/*:refs/heads/*' '+refs/tags/*:refs/tags/*'`;
  return [strict, cacheLocked(l), `if [ -f ${q(`${l.cache}/shallow`)} ]; then unshallow="--unshallow"; else unshallow=""; fi`, fetchIntoCache(l, `--prune $unshallow ${refs}`, `--prune ${refs}`)].join("; ");
}

/** Every object whose name starts with `prefix`, with its type: "<sha> <type>" per line. */
export function disambiguateCommand(l: Layout, prefix: string): string {
  if (!/^[0-9a-f]{4,40}$/.test(prefix)) throw new TypeError("a SHA prefix is 4 to 40 lowercase hex characters");
  return `${cacheGit(l)} rev-parse --disambiguate=${q(prefix)} | ${cacheGit(l)} cat-file --batch-check='%(objectname) %(objecttype)'`;
}

/** One record per commit: sha, author, committer date (ISO 8601), subject — each field ending in NUL. */
export const COMMIT_LINE_FORMAT = "--format=%H%x00%an <%ae>%x00%cI%x00%s%x00";

/** The commit's sha, author, committer date and whole message, NUL-separated; exit 3 if it cannot be fetched. */
export function commitInfoCommand(l: Layout, repoUrl: string, sha: string): string {
  return [strict, cacheLocked(l), ensureCommitInCache(l, repoUrl, sha), `${cacheGit(l)} log -1 --no-show-signature '--format=%H%x00%an <%ae>%x00%cI%x00%B' --end-of-options ${q(sha)} --`].join("; ");
}

/**
 * What lies between two commits, after fetching the remote's history: how many commits `to` has that `from` has
 * not (ahead) and the reverse (behind), then up to `limit` of each, newest first, in COMMIT_LINE_FORMAT.
 * Without `from` (nothing deployed yet): the newest commits of `to`.
 */
export function changesCommand(l: Layout, repoUrl: string, from: string | null, to: string, limit: number): string {
  if (!FULL_SHA.test(to) || (from !== null && !FULL_SHA.test(from))) throw new TypeError("changes are listed between full commit SHAs");
  const git = cacheGit(l);
  const n = String(Math.max(1, Math.floor(limit)));
  const ensure = [ensureCommitInCache(l, repoUrl, to), from ? ensureCommitInCache(l, repoUrl, from) : "true"];
  const forward = from ? `${q(`${from}..${to}`)}` : q(to);
  const back = from ? `${q(`${to}..${from}`)}` : null;
  return [
    fetchHistoryCommand(l, repoUrl),
    ...ensure,
    `echo "ahead $(${git} rev-list --count --end-of-options ${forward} --)"`,
    `echo "behind ${back ? `$(${git} rev-list --count --end-of-options ${back} --)` : "0"}"`,
    `echo "@@forward"`,
    `${git} log -n ${n} --no-show-signature '${COMMIT_LINE_FORMAT}' --end-of-options ${forward} --`,
    `echo "@@back"`,
    back ? `${git} log -n ${n} --no-show-signature '${COMMIT_LINE_FORMAT}' --end-of-options ${back} --` : "true",
  ].join("; ");
}

export function linkSharedCommand(l: Layout, dir: string): string {
  const release = `${l.releases}/${dir}`;
  return `${strict}; if [ -f ${q(`${l.shared}/.env`)} ]; then ln -sfn ../../shared/.env ${q(`${release}/.env`)}; fi; ln -sfn ../../shared ${q(`${release}/shared`)}`;
}

/** Runs an admin-typed command inside the release (or inside `current` for restarts). */
export function inDirCommand(dir: string, command: string): string {
  return `cd ${q(dir)} && { ${command}\n}`;
}

/**
 * The atomic switch: a symlink under a temp name, then rename(2) over `current` (mv -T), so `current`
 * is never missing and never points at a half-built release. One round trip.
 */
export function switchCommand(l: Layout, dir: string, nonce: string): string {
  const tmp = `${l.root}/.current-${nonce}`;
  return `${strict}; test -d ${q(`${l.releases}/${dir}`)}; ln -sfn ${q(`releases/${dir}`)} ${q(tmp)}; mv -T ${q(tmp)} ${q(l.current)}`;
}

/** Undoes a first switch (there was no release before it): `current` goes, only if it is a symlink. */
export function removeCurrentCommand(l: Layout): string {
  return `if [ -L ${q(l.current)} ]; then rm -f -- ${q(l.current)}; fi`;
}

export function readCurrentCommand(l: Layout): string {
  return `readlink ${q(l.current)} || true`;
}

export function releasesExistCommand(l: Layout, dir: string): string {
  return `test -d ${q(`${l.releases}/${dir}`)} && test -f ${q(`${l.releases}/${dir}/REVISION`)}`;
}

export function removeReleasesCommand(l: Layout, dirs: string[]): string {
  if (dirs.length === 0) return "true";
  return `rm -rf -- ${dirs.map((d) => q(`${l.releases}/${d}`)).join(" ")}`;
}

/**
 * Deleting an app with its files: releases/, current and shared/ under the deploy path go, and nothing else
 * (the deploy path itself and whatever else lives in it stay). Refuses a root that is not an absolute path of
 * at least one plain segment, so `/`, "" or a path with `..` never reaches `rm -rf`.
 */
export function removeAppFilesCommand(l: Layout): string {
  // A doubled slash is harmless (the shell and the kernel read /srv//x as /srv/x); an empty path, / itself,
  // a relative path and . or .. segments are not.
  const segments = l.root.split("/").filter(Boolean);
  if (!l.root.startsWith("/") || segments.length === 0 || segments.some((s) => s === "." || s === "..")) {
    throw new Error(`refusing to remove files under ${JSON.stringify(l.root)}: not an absolute deploy path below /`);
  }
  return `rm -rf -- ${q(l.releases)} ${q(l.current)} ${q(l.shared)}`;
}

export function listReleasesCommand(l: Layout): string {
  return `ls -1 ${q(l.releases)} 2>/dev/null || true`;
}

/** Health check from the target itself (the URL as the server reaches its own app). */
export function healthCheckCommand(url: string, timeoutSeconds: number): string {
  const t = String(Math.max(1, Math.floor(timeoutSeconds)));
  return `if command -v curl >/dev/null 2>&1; then curl -fsS -o /dev/null -w '%{http_code}' --max-time ${t} ${q(url)}; else wget -q -O /dev/null -T ${t} ${q(url)} && echo ok; fi`;
}

/** Environment variables for the admin's commands: names validated, values quoted, never executed. */
export function envExports(vars: Record<string, string>): string {
  const entries = Object.entries(vars).filter(([k]) => ENV_NAME.test(k));
  return entries.map(([k, v]) => `export ${k}=${q(v)}`).join("; ");
}

/** The shared/.env file: one KEY='value' line per variable (dotenv and POSIX sh both read this form). */
export function envFileContent(vars: Record<string, string>): string {
  return Object.entries(vars)
    .filter(([k]) => ENV_NAME.test(k))
    .map(([k, v]) => `${k}=${q(v)}\n`)
    .join("");
}
