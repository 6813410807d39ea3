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

/** `<UTC timestamp>-<short sha>`: sorts by time, names its commit. */
export function releaseDirName(at: Date, sha: string): string {
  const ts = at.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  return `${ts}-${sha.slice(0, 7)}`;
}

export const RELEASE_DIR = /^\d{14}-[0-9a-f]{7}$/;

const strict = "set -eu";

export function prepareCommand(l: Layout): string {
  return `${strict}; mkdir -p ${q(l.releases)} ${q(l.shared)}; test -w ${q(l.releases)}`;
}

/** Reads the .env content from stdin; written to a temp file then renamed, mode 0600 from the start. */
export function writeEnvCommand(l: Layout): string {
  const tmp = `${l.shared}/.env.deckhand-tmp`;
  return `${strict}; umask 077; cat > ${q(tmp)}; chmod 600 ${q(tmp)}; mv -f ${q(tmp)} ${q(`${l.shared}/.env`)}`;
}

export function resolveRefCommand(repoUrl: string, ref: string): string {
  return `git ls-remote --end-of-options ${q(repoUrl)} ${q(ref)}`;
}

/** Fetches exactly one commit into a bare cache (incremental across releases) and exports it into the release. */
export function fetchCommand(l: Layout, repoUrl: string, sha: string, dir: string): string {
  const release = `${l.releases}/${dir}`;
  const fetch = `git --git-dir=${q(l.cache)} fetch -q --depth 1 --end-of-options ${q(repoUrl)} ${q(sha)}`;
  return [
    strict,
    `test -d ${q(l.cache)} || git init -q --bare ${q(l.cache)}`,
    // A fetch killed half-way (an interrupted or cancelled deploy) leaves lock files that fail every later
    // fetch into the cache until removed by hand. It is only a cache: rebuild it and fetch once more.
    `${fetch} || { echo "fetch failed; rebuilding the fetch cache and trying once more (a fetch interrupted half-way leaves it locked)" >&2; rm -rf ${q(l.cache)}; git init -q --bare ${q(l.cache)}; ${fetch}; }`,
    `mkdir ${q(release)}`,
    `git --git-dir=${q(l.cache)} archive --format=tar ${q(sha)} | tar -x -C ${q(release)}`,
    `printf '%s\\n' ${q(sha)} > ${q(`${release}/REVISION`)}`,
    `echo "fetched ${sha.slice(0, 12)} into releases/${dir}"`,
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
