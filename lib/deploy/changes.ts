import { loadDeployableApp } from "../apps/deployable";
import { db, type Db } from "../db/client";
import { env } from "../env";
import { AppError, NotFoundError, ValidationError } from "../errors";
import { log } from "../log";
import { connectSsh, SshError, type SshSession } from "../ssh";
import { loadSshTarget } from "../servers/ssh-target";
import { changesCommand, layoutOf } from "./layout";
import { compareUrl } from "./compare-url";
import { currentRelease } from "./requests";
import { parseCommitLines, RefResolutionError, resolveRef, type RunGit } from "./resolve";

/** At most this many commits are listed; `total` counts them all. */
export const CHANGES_CAP = 50;

export interface ChangedCommit {
  sha: string;
  message: string;
  author: string;
  committedAt: Date | null;
}

export interface Changes {
  from: { sha: string; releaseId: string | null; dir: string | null } | null;
  to: { sha: string; ref: string; releaseId: string | null; dir: string | null };
  /** forward: a deploy adds `commits`; back: a rollback takes `commits` away; diverged: `commits` are what `to` adds. */
  direction: "forward" | "back" | "same" | "diverged";
  commits: ChangedCommit[];
  total: number;
  compareUrl: string | null;
}

/** A server could not be reached, or git there failed for a reason other than the ref: the look is not possible now. */
class ChangesUnavailableError extends AppError {
  constructor(message: string) {
    super(503, "changes_unavailable", message);
  }
}

/** Parses changesCommand's output: "ahead N", "behind N", then the commits `to` adds and those it takes away. */
export function parseChangesOutput(stdout: string): { ahead: number; behind: number; forward: ChangedCommit[]; back: ChangedCommit[] } {
  const ahead = Number(/^ahead (\d+)$/m.exec(stdout)?.[1] ?? NaN);
  const behind = Number(/^behind (\d+)$/m.exec(stdout)?.[1] ?? NaN);
  const f = stdout.indexOf("@@forward\n");
  const b = stdout.indexOf("@@back\n");
  if (Number.isNaN(ahead) || Number.isNaN(behind) || f < 0 || b < f) throw new ChangesUnavailableError(`git answered in an unexpected form: ${JSON.stringify(stdout.slice(0, 120))}`);
  return { ahead, behind, forward: parseCommitLines(stdout.slice(f + 10, b)), back: parseCommitLines(stdout.slice(b + 7)) };
}

/**
 * The commits between the app's current release and `to` (a release id of this app, a branch, a tag or a
 * SHA), read with git in the app's fetch cache on its first server, over SSH from the web process: what a
 * deploy or rollback to `to` would change, shown before it is confirmed.
 */
export async function listChanges(appId: string, to: string, client: Db = db()): Promise<Changes> {
  const app = await loadDeployableApp(appId, client);
  const serverId = app.serverIds[0];
  if (!serverId) throw new ValidationError("the app has no target server to read its repository on");
  const current = await currentRelease(client, appId);
  const release = await client.release.findFirst({ where: { id: to, appId }, select: { id: true, commit: true, dir: true } });
  const layout = layoutOf(app.deployPath);
  const repo = { url: app.repoUrl, shown: app.shownRepoUrl };

  const session = await openSession(serverId, client);
  try {
    const run: RunGit = (command, o = {}) => session.exec(command, { timeoutMs: o.timeoutMs ?? 120_000 });
    let toSha: string;
    try {
      toSha = release ? release.commit : await resolveRef(run, layout, repo, to);
    } catch (err) {
      if (err instanceof RefResolutionError) throw new ValidationError(`to: ${err.message}`);
      throw err;
    }
    const fromSha = current?.commit ?? null;
    const r = await run(changesCommand(layout, app.repoUrl, fromSha, toSha, CHANGES_CAP));
    if (r.exitCode !== 0) {
      const why = r.stderr.trim().split("\n").at(-1) || `exit ${r.exitCode ?? r.signal}`;
      if (/not our ref|couldn't find remote ref|unadvertised object/i.test(r.stderr)) throw new ValidationError(`to: no commit ${to} in ${repo.shown}`);
      throw new ChangesUnavailableError(`could not read the history of ${repo.shown}: ${why}`);
    }
    const out = parseChangesOutput(r.stdout);
    const direction = out.ahead === 0 && out.behind === 0 ? "same" : out.ahead > 0 && out.behind === 0 ? "forward" : out.ahead === 0 ? "back" : "diverged";
    const listed = direction === "back" ? out.back : out.forward;
    const total = direction === "back" ? out.behind : out.ahead;
    return {
      from: current ? { sha: current.commit, releaseId: current.id, dir: current.dir } : null,
      to: { sha: toSha, ref: to, releaseId: release?.id ?? null, dir: release?.dir ?? null },
      direction,
      commits: listed.slice(0, CHANGES_CAP),
      total,
      compareUrl: fromSha && direction !== "same" ? compareUrl(app.shownRepoUrl, direction === "back" ? toSha : fromSha, direction === "back" ? fromSha : toSha) : null,
    };
  } finally {
    session.close();
  }
}

/** An SSH session to the server that reads the app's repository (its first target), with errors a person can act on. */
export async function openSession(serverId: string, client: Db): Promise<SshSession> {
  const target = await loadSshTarget(serverId, client).catch((err: unknown) => {
    if (err instanceof NotFoundError) throw new ValidationError("the app's first target server no longer exists");
    throw err;
  });
  try {
    return await connectSsh(target, { connectTimeoutMs: env().DECKHAND_SSH_CONNECT_TIMEOUT_MS });
  } catch (err) {
    log.warn({ err, serverId }, "changes: could not connect");
    if (err instanceof SshError) throw new ChangesUnavailableError(`could not reach ${target.name} to read the repository: ${err.message}`);
    throw err;
  }
}
