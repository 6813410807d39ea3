"use client";

import { useEffect, useRef, useState } from "react";
import type { ChangesJson } from "@/lib/actions/wire";
import { Button, ErrorMessage } from "../ui/form";
import { CommitSummary } from "./commit-summary";

type Loaded = { state: "loading" } | { state: "error"; message: string } | { state: "done"; changes: ChangesJson };

function heading(c: ChangesJson): string {
  const n = c.total;
  const commits = `${n} commit${n === 1 ? "" : "s"}`;
  if (!c.from) return `Nothing is deployed yet: ${c.to.sha.slice(0, 7)} will be the first release`;
  if (c.direction === "same") return `${c.to.sha.slice(0, 7)} is the commit already deployed: no change in code`;
  if (c.direction === "back") return `Rolling back takes away ${commits}`;
  if (c.direction === "diverged") return `${commits} not in the current release (the current one also has commits the target lacks)`;
  return `${commits} since the current release`;
}

/** The commits between the current release and `to` (GET /api/v1/apps/{appId}/changes), newest first. */
export function ChangesPreview({ appId, to }: { appId: string; to: string }) {
  // Which request an answer belongs to: a new appId or `to` shows "loading" until its own answer arrives.
  const key = `${appId}\n${to}`;
  const [answer, setAnswer] = useState<{ key: string; loaded: Loaded } | null>(null);
  const loaded: Loaded = answer?.key === key ? answer.loaded : { state: "loading" };
  useEffect(() => {
    const ctrl = new AbortController();
    const setLoaded = (l: Loaded) => setAnswer({ key: `${appId}\n${to}`, loaded: l });
    fetch(`/api/v1/apps/${encodeURIComponent(appId)}/changes?to=${encodeURIComponent(to)}`, { signal: ctrl.signal, headers: { accept: "application/json" } })
      .then(async (res) => {
        const body = (await res.json().catch(() => null)) as (ChangesJson & { error?: { message: string } }) | null;
        if (!res.ok || !body || body.error) setLoaded({ state: "error", message: body?.error?.message ?? `the server answered ${res.status}` });
        else setLoaded({ state: "done", changes: body });
      })
      .catch((err: unknown) => {
        if (!ctrl.signal.aborted) setLoaded({ state: "error", message: err instanceof Error ? err.message : String(err) });
      });
    return () => ctrl.abort();
  }, [appId, to]);

  if (loaded.state === "loading")
    return (
      <p className="text-sm text-slate-500" data-testid="changes-loading">
        Reading the commits between the current release and {to}…
      </p>
    );
  if (loaded.state === "error")
    return (
      <p role="alert" data-testid="changes-error" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800 ring-1 ring-amber-200">
        Could not list what will change: {loaded.message}
      </p>
    );
  const c = loaded.changes;
  return (
    <div data-testid="changes" data-direction={c.direction} className="space-y-2">
      <p className="text-sm font-medium" data-testid="changes-heading">
        {heading(c)}
        {c.compareUrl ? (
          <>
            {" · "}
            <a className="text-indigo-700 underline" href={c.compareUrl} target="_blank" rel="noreferrer" data-testid="compare-link">
              compare on {new URL(c.compareUrl).hostname}
            </a>
          </>
        ) : null}
      </p>
      {c.commits.length ? (
        <ol className="max-h-72 space-y-2 overflow-auto rounded-md bg-slate-50 p-2 ring-1 ring-slate-200" data-testid="changes-commits">
          {c.commits.map((m) => (
            <li key={m.sha} data-testid="change-commit" data-sha={m.sha}>
              <CommitSummary sha={m.sha} message={m.message} author={m.author} committedAt={m.committedAt ? Date.parse(m.committedAt) : null} />
            </li>
          ))}
        </ol>
      ) : null}
      {c.total > c.commits.length ? (
        <p className="text-xs text-slate-500" data-testid="changes-more">
          …and {c.total - c.commits.length} more
        </p>
      ) : null}
    </div>
  );
}

/**
 * A modal that lists what will change and asks to confirm a deploy, redeploy or rollback. Esc or "Back"
 * closes it; the confirm button is the dialog's first focus.
 */
export function ConfirmChanges({
  appId,
  to,
  title,
  confirmLabel,
  pending,
  error,
  onConfirm,
  onClose,
}: {
  appId: string;
  to: string;
  title: string;
  confirmLabel: string;
  pending: boolean;
  error: string | null;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog ref={dialog} onClose={onClose} data-testid="confirm-changes" aria-labelledby="confirm-changes-title" className="w-[min(40rem,calc(100vw-2rem))] rounded-xl p-0 text-left shadow-xl backdrop:bg-slate-900/40">
      <div className="space-y-3 p-4">
        <h2 id="confirm-changes-title" className="text-base font-semibold">
          {title}
        </h2>
        <ChangesPreview appId={appId} to={to} />
        <ErrorMessage>{error}</ErrorMessage>
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={() => dialog.current?.close()}>
            Back
          </Button>
          <Button type="button" autoFocus disabled={pending} onClick={onConfirm} data-testid="confirm-changes-button">
            {pending ? "Starting…" : confirmLabel}
          </Button>
        </div>
      </div>
    </dialog>
  );
}
