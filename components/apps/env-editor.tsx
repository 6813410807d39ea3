"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { ConfirmButton } from "../ui/confirm-button";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { EmptyLine } from "../ui/empty";
import { Button, ErrorMessage, Field, SubmitButton, TextInput } from "../ui/form";
import { Section } from "../ui/section";
import { notify } from "../ui/toaster";
import { useServerAction, type Action } from "../use-server-action";
import { useActionForm } from "../use-action-form";

/** The same rule the API checks (lib/apps/schemas.ts ENV_NAME), so a typo is caught before the round trip. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const DESCRIPTION = "Values are encrypted, written to shared/.env on each server by the next deploy and masked in deploy logs; they are never shown.";

/** One variable: its name, "set", and replacing its value or removing it (confirmed). */
function VariableRow({ appId, name, setVar, removeVar }: { appId: string; name: string; setVar: Action; removeVar: Action }) {
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const remove = useServerAction(removeVar);
  const replace = useActionForm(
    setVar,
    (f) => ({ appId, key: name, value: String(f.get("value") ?? "") }),
    () => {
      setEditing(false);
      notify(`${name} saved`);
      router.refresh();
    },
  );
  return (
    <li className="py-2" data-testid={`env-var-${name}`}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <span className="font-mono text-sm">
          {name} <span className="text-xs text-slate-500">set</span>
        </span>
        <div className="flex gap-2">
          <Button type="button" variant="secondary" onClick={() => setEditing((v) => !v)} aria-expanded={editing} aria-label={editing ? `Cancel replacing ${name}` : `Replace value of ${name}`}>
            {editing ? "Cancel" : "Replace value"}
          </Button>
          <ConfirmButton
            aria-label={`Remove ${name}`}
            disabled={remove.pending}
            title={`Remove the variable ${name}?`}
            description="The next deploy writes shared/.env without it. Running releases keep the value they have until then."
            confirmLabel={`Remove ${name}`}
            pending={remove.pending}
            error={remove.error}
            onOpen={() => remove.setError(null)}
            onConfirm={(close) =>
              remove.run({ appId, key: name }, () => {
                close();
                notify(`${name} removed`);
                router.refresh();
              })
            }
          >
            {remove.pending ? "Removing…" : "Remove"}
          </ConfirmButton>
        </div>
      </div>
      {editing ? (
        <form className="mt-2 flex flex-wrap items-start gap-2" {...replace.formProps}>
          <div className="min-w-0 flex-1">
            <Field label={`New value for ${name}`} error={replace.errorOf("value")}>
              <TextInput name="value" type="password" autoComplete="off" className="font-mono" autoFocus />
            </Field>
          </div>
          <SubmitButton pending={replace.pending} pendingLabel="Saving…" className="sm:mt-6">
            Save value
          </SubmitButton>
        </form>
      ) : null}
      <div className="mt-1">
        <ErrorMessage>{editing ? replace.state.formError : null}</ErrorMessage>
      </div>
    </li>
  );
}

const nameProblem = (f: FormData) => (ENV_NAME.test(String(f.get("key") ?? "").trim()) ? null : { key: "Use letters, digits and _, not starting with a digit." });

/** Adds one variable; an existing name asks before its value is replaced. */
function AddVariable({ appId, names, setVar }: { appId: string; names: string[]; setVar: Action }) {
  const router = useRouter();
  // An existing name asks before its value is replaced: the form waits meanwhile, and is sent again once confirmed.
  const [replacing, setReplacing] = useState<{ form: HTMLFormElement; key: string; seq: number } | null>(null);
  const confirmed = useRef<string | null>(null);
  const toInput = (f: FormData) => ({ appId, key: String(f.get("key") ?? "").trim(), value: String(f.get("value") ?? "") });
  const { state, pending, errorOf, formProps } = useActionForm(
    setVar,
    toInput,
    (_data, form) => {
      const key = String(new FormData(form).get("key") ?? "").trim();
      const replaced = confirmed.current === key;
      confirmed.current = null;
      setReplacing(null);
      form.reset();
      notify(replaced ? `${key} replaced` : `${key} added`);
      router.refresh();
    },
    nameProblem,
  );
  // A refused replacement says why inside the dialog that asked for it.
  const refused = replacing && state.seq > replacing.seq && state.ok === false ? (state.formError ?? Object.values(state.fieldErrors)[0] ?? null) : null;
  return (
    <>
      <form
        className="mt-3 grid gap-2 border-t border-slate-200 pt-3 sm:grid-cols-[1fr_2fr_auto] sm:items-start"
        aria-label="Add a variable"
        {...formProps}
        onSubmit={(e) => {
          const form = e.currentTarget;
          const key = String(new FormData(form).get("key") ?? "").trim();
          if (names.includes(key) && confirmed.current !== key) {
            e.preventDefault();
            setReplacing({ form, key, seq: state.seq });
            return;
          }
          formProps.onSubmit(e);
        }}
      >
        <Field label="Name" error={errorOf("key")}>
          <TextInput name="key" required className="font-mono" placeholder="DATABASE_URL" autoComplete="off" />
        </Field>
        <Field label="Value" error={errorOf("value")}>
          <TextInput name="value" type="password" className="font-mono" autoComplete="off" />
        </Field>
        <SubmitButton pending={pending && !replacing} pendingLabel="Adding…" className="sm:mt-6">
          Add variable
        </SubmitButton>
        <div className="sm:col-span-3">
          <ErrorMessage>{replacing ? null : state.formError}</ErrorMessage>
        </div>
      </form>
      {replacing ? (
        <ConfirmDialog
          open
          title={`${replacing.key} is already set. Replace its value?`}
          confirmLabel="Replace value"
          pending={pending}
          error={refused}
          onCancel={() => {
            confirmed.current = null;
            setReplacing(null);
          }}
          onConfirm={() => {
            confirmed.current = replacing.key;
            replacing.form.requestSubmit();
          }}
        >
          The old value is gone once replaced; the next deploy writes the new one to shared/.env.
        </ConfirmDialog>
      ) : null}
    </>
  );
}

/** The app's environment, one variable at a time (admins): names only, values write-only. */
export function EnvEditor({ appId, names, setVar, removeVar, className }: { appId: string; names: string[]; setVar: Action; removeVar: Action; className?: string }) {
  return (
    <Section className={className} title="Environment" description={DESCRIPTION} id="environment">
      {names.length === 0 ? (
        <EmptyLine>No variables.</EmptyLine>
      ) : (
        <ul className="divide-y divide-slate-100" data-testid="env-names">
          {names.map((name) => (
            <VariableRow key={name} appId={appId} name={name} setVar={setVar} removeVar={removeVar} />
          ))}
        </ul>
      )}
      <AddVariable appId={appId} names={names} setVar={setVar} />
    </Section>
  );
}
