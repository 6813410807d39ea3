"use client";

import { useRouter } from "next/navigation";
import type { IncidentView } from "@/lib/queries/status-pages";
import { useServerAction, type Action } from "@/components/use-server-action";
import { useActionForm } from "@/components/use-action-form";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { ErrorMessage, Field, Select, SubmitButton, TextArea, TextInput } from "@/components/ui/form";

const STATES = ["investigating", "identified", "monitoring", "resolved"] as const;

type ErrorOf = (name: string) => string | undefined;

function StateAndBody({ defaultState, errorOf }: { defaultState: string; errorOf: ErrorOf }) {
  return (
    <div className="grid gap-3 sm:grid-cols-[12rem_1fr]">
      <Field label="State" error={errorOf("state")}>
        <Select name="state" defaultValue={defaultState}>
          {STATES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Update" error={errorOf("body")}>
        <TextArea name="body" required rows={2} placeholder="What the public should know" />
      </Field>
    </div>
  );
}

/** Posts a new incident on a page, with its first update. */
export function NewIncidentForm({ pageId, action }: { pageId: string; action: Action }) {
  const router = useRouter();
  const toInput = (f: FormData) => ({ id: pageId, title: f.get("title"), state: f.get("state"), body: f.get("body") });
  const { state, pending, errorOf, formProps } = useActionForm(action, toInput, (_data, form) => {
    form.reset();
    router.refresh();
  });
  return (
    <form data-testid="incident-form" className="space-y-3" {...formProps}>
      <Field label="Incident title" error={errorOf("title")}>
        <TextInput name="title" required placeholder="Checkout errors" />
      </Field>
      <StateAndBody defaultState="investigating" errorOf={errorOf} />
      <SubmitButton pending={pending} pendingLabel="Posting…">
        Post incident
      </SubmitButton>
      <ErrorMessage>{state.formError}</ErrorMessage>
    </form>
  );
}

/** The form for an incident's next update. */
function UpdateIncidentForm({ pageId, incident, update }: { pageId: string; incident: IncidentView; update: Action }) {
  const router = useRouter();
  const toInput = (f: FormData) => ({ id: pageId, incidentId: incident.id, state: f.get("state"), body: f.get("body") });
  const { state, pending, errorOf, formProps } = useActionForm(update, toInput, (_data, form) => {
    form.reset();
    router.refresh();
  });
  return (
    <form className="space-y-3" {...formProps}>
      <StateAndBody defaultState={incident.state} errorOf={errorOf} />
      <SubmitButton variant="secondary" pending={pending} pendingLabel="Posting…">
        Post update
      </SubmitButton>
      <ErrorMessage>{state.formError}</ErrorMessage>
    </form>
  );
}

/** One incident in the admin's list: its updates, a form for the next one, and removal (confirmed). */
export function IncidentAdmin({ pageId, incident, update, remove }: { pageId: string; incident: IncidentView; update: Action; remove: Action }) {
  const router = useRouter();
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
      <UpdateIncidentForm pageId={pageId} incident={incident} update={update} />
    </li>
  );
}
