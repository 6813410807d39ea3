"use client";

import { useRouter } from "next/navigation";
import type { FreezeJson } from "@/lib/queries/environments";
import { ConfirmButton } from "../ui/confirm-button";
import { EmptyLine } from "../ui/empty";
import { ErrorMessage, Field, SubmitButton, TextInput } from "../ui/form";
import { LocalTime } from "../ui/local-time";
import { notify } from "../ui/toaster";
import { useActionForm } from "../use-action-form";
import { useServerAction, type Action } from "../use-server-action";

/** A datetime-local value (the viewer's own time) as the ISO instant the schema takes; text that is no date goes as typed. */
function instantOf(value: FormDataEntryValue | null): string | undefined {
  const text = String(value ?? "").trim();
  if (!text) return undefined;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? text : d.toISOString();
}

/** The one check only the browser can word well: an empty date picker (the schema would ask for ISO 8601 text). */
function checkDates(f: FormData): Record<string, string> | null {
  return String(f.get("endsAt") ?? "").trim() ? null : { endsAt: "Choose when the freeze ends." };
}

export function freezeInputFromForm(f: FormData, appId: string, name: string) {
  const startsAt = instantOf(f.get("startsAt"));
  return { appId, name, endsAt: instantOf(f.get("endsAt")) ?? "", ...(startsAt ? { startsAt } : {}), reason: f.get("reason") };
}

function EndFreezeButton({ appId, name, freeze, current, remove }: { appId: string; name: string; freeze: FreezeJson; current: boolean; remove: Action }) {
  const router = useRouter();
  const { error, pending, run, setError } = useServerAction(remove);
  return (
    <ConfirmButton
      variant="secondary"
      className="px-2 py-1 text-xs"
      title={current ? `End the freeze of ${name}?` : `Delete the upcoming freeze of ${name}?`}
      description={
        <>
          Deploys to {name} are allowed again{current ? " at once" : " during that window"}. The freeze ({freeze.reason}) is removed; the audit log keeps it.
        </>
      }
      confirmLabel={current ? "End freeze" : "Delete freeze"}
      pending={pending}
      error={error}
      onOpen={() => setError(null)}
      onConfirm={(close) =>
        run({ appId, name, freezeId: freeze.id }, () => {
          close();
          notify(current ? `${name} is no longer frozen` : "Freeze deleted");
          router.refresh();
        })
      }
    >
      {current ? "End freeze…" : "Delete…"}
    </ConfirmButton>
  );
}

function FreezeRow({ appId, name, freeze, remove }: { appId: string; name: string; freeze: FreezeJson; remove?: Action }) {
  const current = freeze.current;
  return (
    <li className="py-2 text-sm" data-testid={`freeze-${name}`}>
      <p className="break-words">
        <span className="font-medium">{current ? "Frozen" : "Upcoming"}</span>: {freeze.reason}
      </p>
      <p className="break-words text-xs text-slate-500">
        <LocalTime ms={Date.parse(freeze.startsAt)} /> → <LocalTime ms={Date.parse(freeze.endsAt)} /> · set by {freeze.createdBy}
      </p>
      {remove ? (
        <div className="mt-1">
          <EndFreezeButton appId={appId} name={name} freeze={freeze} current={current} remove={remove} />
        </div>
      ) : null}
    </li>
  );
}

function FreezeForm({ appId, name, create }: { appId: string; name: string; create: Action }) {
  const router = useRouter();
  const { state, pending, errorOf, formProps } = useActionForm(
    create,
    (f) => freezeInputFromForm(f, appId, name),
    (_data, form) => {
      form.reset();
      notify(`${name} is frozen`);
      router.refresh();
    },
    checkDates,
  );
  return (
    <form className="grid gap-3" aria-label={`Freeze ${name}`} {...formProps}>
      <Field label="Ends at" error={errorOf("endsAt")} hint="In your local time.">
        <TextInput name="endsAt" type="datetime-local" required />
      </Field>
      <Field label="Starts at (optional)" error={errorOf("startsAt")} hint="Empty: now.">
        <TextInput name="startsAt" type="datetime-local" />
      </Field>
      <Field label="Reason" error={errorOf("reason")}>
        <TextInput name="reason" required autoComplete="off" placeholder="Holiday code freeze" />
      </Field>
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton pending={pending} pendingLabel="Freezing…" variant="secondary">
          Freeze {name}
        </SubmitButton>
        <ErrorMessage>{state.formError}</ErrorMessage>
      </div>
    </form>
  );
}

/** An environment's current and upcoming freeze windows; an admin adds one or ends one here. */
export function EnvironmentFreezes({ appId, name, freezes, create, remove }: { appId: string; name: string; freezes: FreezeJson[]; create?: Action; remove?: Action }) {
  return (
    <div className="space-y-2" data-testid={`freezes-${name}`}>
      <h4 className="text-sm font-semibold">Freeze windows</h4>
      {freezes.length === 0 ? (
        <EmptyLine>No freeze now or coming: deploys to {name} are allowed.</EmptyLine>
      ) : (
        <ul className="divide-y divide-slate-100">
          {freezes.map((f) => (
            <FreezeRow key={f.id} appId={appId} name={name} freeze={f} remove={remove} />
          ))}
        </ul>
      )}
      {create ? (
        <details className="rounded-md border border-slate-200 p-2">
          <summary className="cursor-pointer text-sm font-medium">Freeze…</summary>
          <div className="mt-2">
            <FreezeForm appId={appId} name={name} create={create} />
          </div>
        </details>
      ) : null}
    </div>
  );
}
