"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { useServerAction, type Action } from "../use-server-action";
import { Button, ErrorMessage, Select, TextInput } from "../ui/form";
import { ConfigFields, FieldError, SeverityFields } from "./config-fields";
import { CHANNEL_TYPE_NAMES, configFromForm, fieldError, severitiesFromForm, TYPE_LABELS, type ChannelTypeName } from "./provider-fields";

/** Adds a channel of any provider: its own fields, default or not, and which alerts it takes. */
export function ChannelForm({ action }: { action: Action<{ name: string; signingSecret?: string }> }) {
  const router = useRouter();
  const id = useId();
  const { error, pending, run } = useServerAction(action);
  const [type, setType] = useState<ChannelTypeName>("webhook");
  const [secret, setSecret] = useState<{ name: string; value: string } | null>(null);
  const problem = fieldError(error);
  const own = problem && !problem.field?.startsWith("config.") && problem.field !== "name" ? problem : null;
  return (
    <form
      data-testid="channel-form"
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        setSecret(null);
        run({ name: f.get("name"), type, config: configFromForm(f, type, "create"), isDefault: f.get("isDefault") === "on", severities: severitiesFromForm(f) }, (created) => {
          if (created.signingSecret) setSecret({ name: created.name, value: created.signingSecret });
          form.reset();
          router.refresh();
        });
      }}
    >
      <div className="grid gap-3 sm:grid-cols-2">
        <div className="space-y-1">
          <label htmlFor={`${id}-name`} className="block text-sm font-medium text-slate-700">
            Channel name<span className="text-rose-600"> *</span>
          </label>
          <TextInput id={`${id}-name`} name="name" required placeholder="ops" aria-describedby={problem?.field === "name" ? `${id}-name-error` : undefined} />
          <FieldError id={`${id}-name-error`} message={problem?.field === "name" ? problem.message : null} />
        </div>
        <div className="space-y-1">
          <label htmlFor={`${id}-type`} className="block text-sm font-medium text-slate-700">
            Provider
          </label>
          <Select id={`${id}-type`} name="type" value={type} onChange={(e) => setType(e.target.value as ChannelTypeName)}>
            {CHANNEL_TYPE_NAMES.map((t) => (
              <option key={t} value={t}>
                {TYPE_LABELS[t]}
              </option>
            ))}
          </Select>
        </div>
      </div>
      <ConfigFields type={type} idPrefix={`${id}-new`} error={problem} />
      <SeverityFields idPrefix={`${id}-new`} />
      <label className="flex items-center gap-2 text-sm text-slate-700" htmlFor={`${id}-default`}>
        <input id={`${id}-default`} type="checkbox" name="isDefault" defaultChecked className="h-4 w-4 rounded border-slate-300" />
        Default channel: gets the alerts of every monitor and app that has not chosen its own
      </label>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? "Adding…" : "Add channel"}
        </Button>
      </div>
      <ErrorMessage>{own?.message ?? null}</ErrorMessage>
      {secret ? (
        <div role="status" data-testid="signing-secret" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200">
          Signing secret of <strong>{secret.name}</strong>, shown only now — give it to the receiver:
          <code className="mt-1 block break-all font-mono text-xs">{secret.value}</code>
        </div>
      ) : null}
    </form>
  );
}
