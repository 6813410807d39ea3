const HOSTS = {
  "github.com": (path: string, from: string, to: string) => `https://github.com/${path}/compare/${from}...${to}`,
  "gitlab.com": (path: string, from: string, to: string) => `https://gitlab.com/${path}/-/compare/${from}...${to}`,
  "bitbucket.org": (path: string, from: string, to: string) => `https://bitbucket.org/${path}/branches/compare/${to}%0D${from}`,
} as const;

/** host and "owner/repo" of an https, ssh:// or scp-like (git@host:owner/repo.git) URL; credentials are dropped. */
function hostAndPath(repoUrl: string): { host: string; path: string } | null {
  const scp = /^[^@/:\s]+@([^:/\s]+):(?!\/)(.+)$/.exec(repoUrl);
  if (scp) return { host: scp[1]!.toLowerCase(), path: scp[2]! };
  try {
    const u = new URL(repoUrl);
    if (!["https:", "http:", "ssh:", "git:"].includes(u.protocol)) return null;
    return { host: u.hostname.toLowerCase(), path: u.pathname.replace(/^\/+/, "") };
  } catch {
    return null;
  }
}

/**
 * The page comparing two commits, for repositories on github.com, gitlab.com or bitbucket.org; null for any
 * other host. `from` is the older commit, `to` the newer.
 */
export function compareUrl(repoUrl: string, from: string, to: string): string | null {
  const parsed = hostAndPath(repoUrl.trim());
  if (!parsed) return null;
  const make = HOSTS[parsed.host as keyof typeof HOSTS];
  const path = parsed.path.replace(/\.git$/, "").replace(/\/+$/, "");
  // owner/repo (GitLab allows nested groups: group/sub/repo); nothing that could leave the path.
  if (!make || !/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)+$/.test(path) || path.split("/").some((p) => p === "." || p === "..")) return null;
  if (parsed.host !== "gitlab.com" && path.split("/").length !== 2) return null;
  if (!/^[0-9a-f]{7,40}$/.test(from) || !/^[0-9a-f]{7,40}$/.test(to)) return null;
  return make(path, from, to);
}
