"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ConfirmButton } from "../ui/confirm-button";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { EmptyLine } from "../ui/empty";
import { Button, ErrorMessage, Field, TextInput } from "../ui/form";
import { Section } from "../ui/section";
import { notify } from "../ui/toaster";
import { useServerAction, type Action } from "../use-server-action";

/** The same rule the API checks (lib/apps/schemas.ts ENV_NAME), so a typo is caught before the round trip. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const DESCRIPTION = "Values are encrypted, written to shared/.env on each server by the next deploy and masked in deploy logs; they are never shown.";

/** One variable: its name, "set", and replacing its value or removing it (confirmed). */
function VariableRow({ appId, name, setVar, removeVar }: { appId: string; name: string; setVar: Action; removeVar: Action }) {
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const replace = useServerAction(setVar);
  const remove = useServerAction(removeVar);
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
        <form
          className="mt-2 flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            const value = String(new FormData(e.currentTarget).get("value") ?? "");
            replace.run({ appId, key: name, value }, () => {
              setEditing(false);
              notify(`${name} saved`);
              router.refresh();
            });
          }}
        >
          <div className="min-w-0 flex-1">
            <Field label={`New value for ${name}`}>
              <TextInput name="value" type="password" autoComplete="off" className="font-mono" autoFocus />
            </Field>
          </div>
          <Button type="submit" disabled={replace.pending}>
            {replace.pending ? "Saving…" : "Save value"}
          </Button>
        </form>
      ) : null}
      <div className="mt-1">
        <ErrorMessage>{replace.error}</ErrorMessage>
      </div>
    </li>
  );
}

/** Adds one variable; an existing name asks before its value is replaced. */
function AddVariable({ appId, names, setVar }: { appId: string; names: string[]; setVar: Action }) {
  const router = useRouter();
  const add = useServerAction(setVar);
  const [nameError, setNameError] = useState<string | null>(null);
  // An existing name asks before its value is replaced: the form and the values wait here meanwhile.
  const [replacing, setReplacing] = useState<{ form: HTMLFormElement; key: string; value: string } | null>(null);
  const save = (form: HTMLFormElement, key: string, value: string, replaced: boolean) =>
    add.run({ appId, key, value }, () => {
      setReplacing(null);
      form.reset();
      notify(replaced ? `${key} replaced` : `${key} added`);
      router.refresh();
    });
  return (
    <>
      <form
        className="mt-3 grid gap-2 border-t border-slate-200 pt-3 sm:grid-cols-[1fr_2fr_auto] sm:items-start"
        aria-label="Add a variable"
        onSubmit={(e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const f = new FormData(form);
          const key = String(f.get("key") ?? "").trim();
          if (!ENV_NAME.test(key)) {
            setNameError("Use letters, digits and _, not starting with a digit.");
            (form.elements.namedItem("key") as HTMLInputElement | null)?.focus();
            return;
          }
          setNameError(null);
          const value = String(f.get("value") ?? "");
          if (names.includes(key)) {
            add.setError(null);
            setReplacing({ form, key, value });
            return;
          }
          save(form, key, value, false);
        }}
      >
        <Field label="Name" error={nameError ?? add.fieldErrors?.key}>
          <TextInput name="key" required className="font-mono" placeholder="DATABASE_URL" autoComplete="off" />
        </Field>
        <Field label="Value" error={add.fieldErrors?.value}>
          <TextInput name="value" type="password" className="font-mono" autoComplete="off" />
        </Field>
        <Button type="submit" disabled={add.pending} className="sm:mt-6">
          {add.pending ? "Adding…" : "Add variable"}
        </Button>
        <div className="sm:col-span-3">
          <ErrorMessage>{nameError || replacing || add.fieldErrors?.key || add.fieldErrors?.value ? null : add.error}</ErrorMessage>
        </div>
      </form>
      {replacing ? (
        <ConfirmDialog
          open
          title={`${replacing.key} is already set. Replace its value?`}
          confirmLabel="Replace value"
          pending={add.pending}
          error={add.error}
          onCancel={() => setReplacing(null)}
          onConfirm={() => save(replacing.form, replacing.key, replacing.value, true)}
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
