"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import type { Action } from "../use-server-action";
import { useActionForm } from "../use-action-form";
import { ErrorMessage, Field, Select, SubmitButton, TextInput } from "../ui/form";
import { ConfigFields, SeverityFields } from "./config-fields";
import { CHANNEL_TYPE_NAMES, configFromForm, severitiesFromForm, TYPE_LABELS, type ChannelTypeName } from "./provider-fields";

/** Adds a channel of any provider: its own fields, default or not, and which alerts it takes. */
export function ChannelForm({ action }: { action: Action<{ name: string; signingSecret?: string }> }) {
  const router = useRouter();
  const id = useId();
  const [type, setType] = useState<ChannelTypeName>("webhook");
  const [secret, setSecret] = useState<{ name: string; value: string } | null>(null);
  const toInput = (f: FormData) => {
    setSecret(null);
    return { name: f.get("name"), type, config: configFromForm(f, type, "create"), isDefault: f.get("isDefault") === "on", severities: severitiesFromForm(f) };
  };
  const { state, pending, errorOf, formProps } = useActionForm(action, toInput, (created, form) => {
    if (created.signingSecret) setSecret({ name: created.name, value: created.signingSecret });
    form.reset();
    router.refresh();
  });
  return (
    <form data-testid="channel-form" aria-label="Add a channel" className="space-y-4" {...formProps}>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Channel name" error={errorOf("name")}>
          <TextInput name="name" required placeholder="ops" />
        </Field>
        <Field label="Provider" error={errorOf("type")}>
          <Select name="type" value={type} onChange={(e) => setType(e.target.value as ChannelTypeName)}>
            {CHANNEL_TYPE_NAMES.map((t) => (
              <option key={t} value={t}>
                {TYPE_LABELS[t]}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <ConfigFields type={type} idPrefix={`${id}-new`} errorOf={errorOf} />
      <SeverityFields idPrefix={`${id}-new`} />
      <label className="flex items-center gap-2 text-sm text-slate-700">
        <input type="checkbox" name="isDefault" defaultChecked className="h-4 w-4 rounded border-slate-300" />
        Default channel: gets the alerts of every monitor and app that has not chosen its own
      </label>
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton pending={pending} pendingLabel="Adding…">
          Add channel
        </SubmitButton>
      </div>
      <ErrorMessage>{state.formError}</ErrorMessage>
      {secret ? (
        <div role="status" data-testid="signing-secret" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200">
          Signing secret of <strong>{secret.name}</strong>, shown only now — give it to the receiver:
          <code className="mt-1 block break-all font-mono text-xs">{secret.value}</code>
        </div>
      ) : null}
    </form>
  );
}
