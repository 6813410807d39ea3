import { formatMinute } from "../ui/time";

/** "Name <email>" → "Name" (the email stays in the title). */
export function authorName(author: string): string {
  return author.replace(/\s*<[^>]*>\s*$/, "").trim() || author;
}

function subject(message: string): string {
  return message.split("\n", 1)[0]!.trim();
}

/**
 * A commit as people read it: subject, author and date next to the short SHA. `full` shows the whole message
 * (the deploy page); otherwise one line, the whole message on hover.
 */
export function CommitSummary({ sha, message, author, committedAt, full = false }: { sha: string | null; message: string | null; author: string | null; committedAt: number | null; full?: boolean }) {
  const body = message && full ? message.slice(subject(message).length).trim() : "";
  return (
    <div className="min-w-0 text-sm" data-testid="commit-summary">
      <p className={full ? "font-medium" : "truncate"} title={message ?? undefined}>
        {sha ? <span className="mr-1.5 font-mono text-xs text-slate-500">{sha.slice(0, 7)}</span> : null}
        <span data-testid="commit-message">{message ? subject(message) : <span className="text-slate-400">no commit message recorded</span>}</span>
      </p>
      {author || committedAt ? (
        <p className="truncate text-xs text-slate-500" title={author ?? undefined}>
          {author ? <span data-testid="commit-author">{authorName(author)}</span> : null}
          {author && committedAt ? " · " : null}
          {committedAt ? <span>committed {formatMinute(committedAt)}</span> : null}
        </p>
      ) : null}
      {body ? <pre className="mt-1 whitespace-pre-wrap font-sans text-xs text-slate-600">{body}</pre> : null}
    </div>
  );
}
