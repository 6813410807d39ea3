"use client";

import { useRouter } from "next/navigation";
import { useId } from "react";
import type { IncidentView } from "@/lib/queries/status-pages";
import { useServerAction, type Action } from "@/components/use-server-action";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Button, ErrorMessage, Select, TextInput } from "@/components/ui/form";

const STATES = ["investigating", "identified", "monitoring", "resolved"] as const;

function StateAndBody({ id, defaultState }: { id: string; defaultState: string }) {
  return (
    <div className="grid gap-3 sm:grid-cols-[12rem_1fr]">
      <div className="space-y-1">
        <label htmlFor={`${id}-state`} className="block text-sm font-medium text-slate-700">
          State
        </label>
        <Select id={`${id}-state`} name="state" defaultValue={defaultState}>
          {STATES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </Select>
      </div>
      <div className="space-y-1">
        <label htmlFor={`${id}-body`} className="block text-sm font-medium text-slate-700">
          Update<span className="text-rose-600"> *</span>
        </label>
        <textarea
          id={`${id}-body`}
          name="body"
          required
          rows={2}
          className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500"
          placeholder="What the public should know"
        />
      </div>
    </div>
  );
}

/** Posts a new incident on a page, with its first update. */
export function NewIncidentForm({ pageId, action }: { pageId: string; action: Action }) {
  const router = useRouter();
  const id = useId();
  const { error, pending, run } = useServerAction(action);
  return (
    <form
      data-testid="incident-form"
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        run({ id: pageId, title: f.get("title"), state: f.get("state"), body: f.get("body") }, () => {
          form.reset();
          router.refresh();
        });
      }}
    >
      <div className="space-y-1">
        <label htmlFor={`${id}-title`} className="block text-sm font-medium text-slate-700">
          Incident title<span className="text-rose-600"> *</span>
        </label>
        <TextInput id={`${id}-title`} name="title" required placeholder="Checkout errors" />
      </div>
      <StateAndBody id={id} defaultState="investigating" />
      <Button type="submit" disabled={pending}>
        {pending ? "Posting…" : "Post incident"}
      </Button>
      <ErrorMessage>{error}</ErrorMessage>
    </form>
  );
}

/** One incident in the admin's list: its updates, a form for the next one, and removal (confirmed). */
export function IncidentAdmin({ pageId, incident, update, remove }: { pageId: string; incident: IncidentView; update: Action; remove: Action }) {
  const router = useRouter();
  const id = useId();
  const posting = useServerAction(update);
  const removing = useServerAction(remove);
  return (
    <li className="space-y-2 rounded-md p-3 ring-1 ring-slate-200" data-testid="admin-incident">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="font-medium">
          {incident.title} <span className="text-sm font-normal text-slate-500">· {incident.state}</span>
        </p>
        <ConfirmButton
          title={`Remove the incident "${incident.title}"?`}
          description="It and its updates disappear from the public page."
          confirmLabel="Remove incident"
          pending={removing.pending}
          error={removing.error}
          onOpen={() => removing.setError(null)}
          onConfirm={(close) =>
            removing.run({ id: pageId, incidentId: incident.id }, () => {
              close();
              router.refresh();
            })
          }
        >
          Remove
        </ConfirmButton>
      </div>
      <ul className="space-y-1 text-sm text-slate-600">
        {incident.updates.map((u, n) => (
          <li key={n}>
            <span className="font-semibold">{u.state}</span> · {u.at.replace("T", " ").slice(0, 16)} UTC — {u.body}
          </li>
        ))}
      </ul>
      <form
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const f = new FormData(form);
          posting.run({ id: pageId, incidentId: incident.id, state: f.get("state"), body: f.get("body") }, () => {
            form.reset();
            router.refresh();
          });
        }}
      >
        <StateAndBody id={id} defaultState={incident.state} />
        <Button type="submit" variant="secondary" disabled={posting.pending}>
          {posting.pending ? "Posting…" : "Post update"}
        </Button>
        <ErrorMessage>{posting.error}</ErrorMessage>
      </form>
    </li>
  );
}
