"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import type { IncidentView } from "@/lib/queries/incidents";
import type { LinkedDeploy } from "@/lib/queries/deploy-incidents";
import { useServerAction, type Action } from "../use-server-action";
import { Badge } from "../ui/badge";
import { EmptyLine } from "../ui/empty";
import { Button, ErrorMessage } from "../ui/form";
import { LocalTime } from "../ui/local-time";
import { notify } from "../ui/toaster";
import { formatSeconds } from "./format";

export interface IncidentActions {
  acknowledge: Action;
  addNote: Action;
}

function duration(i: IncidentView, now: number): string {
  const end = i.endedAt ? Date.parse(i.endedAt) : now;
  return formatSeconds(Math.max(0, Math.round((end - Date.parse(i.startedAt)) / 1000)));
}

function NoteForm({ incident, action }: { incident: IncidentView; action: Action }) {
  const router = useRouter();
  const { error, pending, run } = useServerAction(action);
  const [text, setText] = useState("");
  const id = useId();
  return (
    <form
      className="mt-2 flex flex-col gap-2 sm:flex-row sm:items-start"
      onSubmit={(e) => {
        e.preventDefault();
        run({ id: incident.id, text }, () => {
          setText("");
          notify("Note added");
          router.refresh();
        });
      }}
    >
      <label htmlFor={id} className="sr-only">
        Note on the incident of {incident.monitorName}
      </label>
      <textarea
        id={id}
        name="text"
        rows={2}
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder="What you found, what you did…"
        className="block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500"
      />
      <Button type="submit" variant="secondary" disabled={pending} className="shrink-0">
        {pending ? "Adding…" : "Add note"}
      </Button>
      <ErrorMessage>{error}</ErrorMessage>
    </form>
  );
}

type ListedIncident = IncidentView & { afterDeploy?: LinkedDeploy | null };

function IncidentItem({ incident: i, actions, now, showMonitor }: { incident: ListedIncident; actions: IncidentActions | null; now: number; showMonitor: boolean }) {
  const router = useRouter();
  const ack = useServerAction(actions?.acknowledge ?? (async () => ({ ok: true as const, data: null })));
  const open = i.endedAt === null;
  return (
    <li className="py-3" data-testid="incident-row" data-open={open ? "true" : "false"} data-acknowledged={i.acknowledgedAt ? "true" : "false"} data-suppressed={i.suppressed ? "true" : "false"}>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
        {open ? <Badge value="down" label="ongoing" /> : <Badge value="up" label="resolved" />}
        {showMonitor ? (
          <Link href={`/monitors/${i.monitorId}`} className="font-medium text-indigo-700 underline">
            {i.monitorName}
          </Link>
        ) : null}
        <span>
          from <LocalTime ms={Date.parse(i.startedAt)} />
          {i.endedAt ? (
            <>
              {" "}
              to <LocalTime ms={Date.parse(i.endedAt)} />
            </>
          ) : null}{" "}
          · <span className="tabular-nums">{duration(i, now)}</span>
        </span>
        {i.acknowledgedAt ? (
          <span className="text-slate-600" data-testid="incident-ack">
            acknowledged by {i.acknowledgedBy} at <LocalTime ms={Date.parse(i.acknowledgedAt)} />
          </span>
        ) : null}
        {open && actions && !i.acknowledgedAt ? (
          <Button type="button" variant="secondary" disabled={ack.pending} onClick={() => ack.run({ id: i.id }, () => (notify("Incident acknowledged: no more reminders"), router.refresh()))}>
            {ack.pending ? "Acknowledging…" : "Acknowledge"}
          </Button>
        ) : null}
      </div>
      <p className="mt-1 text-sm text-slate-600">{i.cause ?? "no detail"}</p>
      {i.afterDeploy ? (
        <p className="mt-1 text-sm text-slate-600" data-testid="incident-after-deploy">
          Started {Math.max(0, Math.round((Date.parse(i.startedAt) - Date.parse(i.afterDeploy.finishedAt)) / 60_000))} min after{" "}
          <Link href={`/apps/${i.afterDeploy.appId}/deploys/${i.afterDeploy.id}`} className="text-indigo-700 underline">
            a {i.afterDeploy.kind}
            {i.afterDeploy.release ? ` of ${i.afterDeploy.release}` : ""} ({i.afterDeploy.status})
          </Link>
        </p>
      ) : null}
      {i.suppressed ? (
        <p className="mt-1 text-sm text-amber-800" data-testid="incident-suppressed">
          Alerts {i.suppressed}
        </p>
      ) : null}
      <ErrorMessage>{ack.error}</ErrorMessage>
      {i.notes.length ? (
        <ul className="mt-2 space-y-1 border-l-2 border-slate-200 pl-3 text-sm" aria-label="Notes">
          {i.notes.map((n) => (
            <li key={n.id} data-testid="incident-note">
              <span className="text-slate-500">
                {n.author}, <LocalTime ms={Date.parse(n.createdAt)} />:
              </span>{" "}
              <span className="whitespace-pre-wrap break-words">{n.text}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {actions ? <NoteForm incident={i} action={actions.addNote} /> : null}
    </li>
  );
}

/** Incidents, newest first: what broke, since when, who acknowledged it, whether a dependency held its alerts back, and notes. */
export function IncidentList({ incidents, actions, now, showMonitor = false }: { incidents: ListedIncident[]; actions: IncidentActions | null; now: number; showMonitor?: boolean }) {
  if (incidents.length === 0) return <EmptyLine data-testid="incidents-empty">No down periods recorded.</EmptyLine>;
  return (
    <ul className="divide-y divide-slate-200" data-testid="incidents">
      {incidents.map((i) => (
        <IncidentItem key={i.id} incident={i} actions={actions} now={now} showMonitor={showMonitor} />
      ))}
    </ul>
  );
}
