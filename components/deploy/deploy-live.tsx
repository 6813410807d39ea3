"use client";

import { useEffect, useMemo, useState } from "react";
import type { DeployJson } from "@/lib/actions/wire";
import type { DeployView, LogChunk } from "@/lib/queries/deploys";
import { Badge } from "../ui/badge";
import { Card } from "../ui/card";
import { formatDuration } from "../ui/time";
import { LocalTime } from "../ui/local-time";
import { CancelButton } from "./deploy-controls";
import { DeployVerdictCard } from "./deploy-verdict";
import { CommitSummary } from "./commit-summary";
import { LogViewer } from "./log-viewer";
import { deployFromStream } from "./stream";
import type { Action } from "../use-server-action";

const ICON: Record<string, string> = { pending: "○", running: "◐", succeeded: "✔", failed: "✖", skipped: "–", cancelled: "⊘" };
const ACTIVE = new Set(["queued", "running"]);

/** Follows a deploy over server-sent events: steps per server and the log, as they happen. */
export function DeployLive({ initial, initialLog, cancel, canDeploy }: { initial: DeployView; initialLog: LogChunk[]; cancel: Action<{ status: string }>; canDeploy: boolean }) {
  const [deploy, setDeploy] = useState(initial);
  const [log, setLog] = useState<LogChunk[]>(initialLog);
  const [connection, setConnection] = useState<"live" | "ended" | "reconnecting">(ACTIVE.has(initial.status) ? "live" : "ended");

  useEffect(() => {
    if (!ACTIVE.has(initial.status)) return;
    const source = new EventSource(`/api/v1/deploys/${initial.id}/stream`);
    const seen = new Set(initialLog.map((c) => c.id));
    source.addEventListener("deploy", (e) => setDeploy(deployFromStream(JSON.parse((e as MessageEvent).data) as DeployJson)));
    source.addEventListener("log", (e) => {
      const chunks = (JSON.parse((e as MessageEvent).data) as LogChunk[]).filter((c) => !seen.has(c.id));
      chunks.forEach((c) => seen.add(c.id));
      if (chunks.length) setLog((prev) => [...prev, ...chunks]);
    });
    source.addEventListener("end", () => {
      setConnection("ended");
      source.close();
    });
    source.onerror = () => setConnection((c) => (c === "ended" ? c : "reconnecting"));
    source.onopen = () => setConnection("live");
    return () => source.close();
  }, [initial.id, initial.status, initialLog]);

  const servers = useMemo(() => {
    const groups = new Map<string, DeployView["steps"]>();
    for (const s of deploy.steps) {
      const key = s.server ?? "deploy";
      groups.set(key, [...(groups.get(key) ?? []), s]);
    }
    return [...groups.entries()];
  }, [deploy.steps]);

  return (
    <div className="space-y-4">
      <Card padding="sm" className="flex flex-wrap items-center gap-3">
        <span data-testid="deploy-status">
          <Badge value={deploy.status} />
        </span>
        <span className="text-sm">
          {deploy.kind} {deploy.ref ? <span className="font-mono">{deploy.ref}</span> : null} {deploy.commit ? <span className="font-mono text-slate-500">{deploy.commit.slice(0, 12)}</span> : null}
          {deploy.release ? <span className="text-slate-500"> → releases/{deploy.release}</span> : null}
        </span>
        <span className="text-sm text-slate-500">
          by {deploy.requestedBy} · <LocalTime ms={deploy.createdAt} /> · {formatDuration(deploy.startedAt ?? deploy.createdAt, deploy.finishedAt)}
        </span>
        {deploy.autoRolledBack ? <Badge value="interrupted" label="automatically rolled back" /> : null}
        <span className="ml-auto text-xs text-slate-500" aria-live="polite">
          {connection === "live" ? "● live" : connection === "reconnecting" ? "reconnecting…" : ""}
        </span>
        {ACTIVE.has(deploy.status) && !deploy.cancelRequested ? <CancelButton deployId={deploy.id} action={cancel} canDeploy={canDeploy} /> : null}
      </Card>
      {deploy.commitMessage !== null || deploy.commitAuthor !== null ? (
        <Card padding="sm">
          <CommitSummary sha={deploy.commit} message={deploy.commitMessage} author={deploy.commitAuthor} committedAt={deploy.committedAt} full />
        </Card>
      ) : null}
      <DeployVerdictCard verdict={deploy.verdict} />
      {deploy.error ? (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800 ring-1 ring-rose-200" data-testid="deploy-error">
          {deploy.error}
        </p>
      ) : null}
      <div className="grid gap-4 lg:grid-cols-[18rem_1fr]">
        <ol className="space-y-4" aria-label="Steps">
          {servers.map(([server, steps]) => (
            <Card as="li" key={server} padding="xs">
              <p className="mb-1 text-sm font-semibold">{server}</p>
              <ul className="space-y-0.5 text-sm">
                {steps.map((s) => (
                  <li
                    key={s.id}
                    data-testid={`step-${server}-${s.name}`}
                    data-status={s.status}
                    className={`flex justify-between ${s.status === "failed" ? "text-rose-700" : s.status === "running" ? "text-sky-700" : s.status === "pending" ? "text-slate-400" : ""}`}
                  >
                    <span>
                      <span aria-hidden className={s.status === "running" ? "inline-block animate-spin" : ""}>
                        {ICON[s.status] ?? "·"}
                      </span>{" "}
                      {s.name}
                    </span>
                    <span className="text-xs text-slate-400">{s.startedAt ? formatDuration(s.startedAt, s.finishedAt) : ""}</span>
                  </li>
                ))}
              </ul>
            </Card>
          ))}
        </ol>
        <LogViewer chunks={log} live={connection !== "ended"} deployId={deploy.id} truncated={deploy.logTruncated} />
      </div>
    </div>
  );
}
