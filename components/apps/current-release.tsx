import type { AppView } from "@/lib/queries/apps";
import { CommitSummary } from "../deploy/commit-summary";
import { EmptyLine } from "../ui/empty";
import { Section } from "../ui/section";

/** What is live now, where, and how the app rolls out. */
export function CurrentRelease({ app }: { app: AppView }) {
  return (
    <Section title="Current release">
      {app.current ? (
        <p data-testid="current-release">
          <span className="font-mono">{app.current.dir}</span>
          <br />
          <span className="font-mono text-xs text-slate-500">{app.current.commit}</span>
        </p>
      ) : null}
      {app.current && (app.current.commitMessage || app.current.commitAuthor) ? (
        <div className="mt-1">
          <CommitSummary sha={null} message={app.current.commitMessage} author={app.current.commitAuthor} committedAt={app.current.committedAt} />
        </div>
      ) : null}
      {app.current ? null : <EmptyLine data-testid="current-release">Nothing deployed yet.</EmptyLine>}
      <p className="mt-2 text-xs text-slate-500">
        {app.targets.map((t) => t.server.name).join(", ") || "no servers"} · {app.strategy}
        {app.strategy === "rolling" ? ` (batches of ${app.batchSize})` : ""} · keeps {app.keepReleases}
      </p>
    </Section>
  );
}
