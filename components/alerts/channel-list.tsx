"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import type { NotificationChannelRow } from "@/lib/queries/notification-channels";
import { Badge } from "../ui/badge";
import { ConfirmButton } from "../ui/confirm-button";
import { Button, ErrorMessage, Field, SubmitButton, TextInput } from "../ui/form";
import { formatTime } from "../ui/time";
import { notify } from "../ui/toaster";
import { useServerAction, type Action } from "../use-server-action";
import { useActionForm } from "../use-action-form";
import { ConfigFields, SeverityFields } from "./config-fields";
import { configFromForm, severitiesFromForm, SEVERITY_LABELS, TYPE_LABELS, type ChannelTypeName, type SeverityName } from "./provider-fields";

export type ChannelActions = { create: Action<{ name: string; signingSecret?: string }>; update: Action; remove: Action; test: Action };

function EditChannel({ channel, update }: { channel: NotificationChannelRow; update: Action }) {
  const router = useRouter();
  const id = useId();
  const [open, setOpen] = useState(false);
  const type = channel.type as ChannelTypeName;
  const toInput = (f: FormData) => ({ id: channel.id, name: f.get("name"), config: configFromForm(f, type, "edit"), severities: severitiesFromForm(f) });
  const { state, pending, errorOf, formProps } = useActionForm(update, toInput, () => {
    setOpen(false);
    notify(`Channel “${channel.name}” saved`);
    router.refresh();
  });
  return (
    <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)} className="mt-3">
      <summary className="cursor-pointer text-sm font-medium text-indigo-700">Edit</summary>
      <form data-testid="channel-edit-form" aria-label={`Edit channel ${channel.name}`} className="mt-3 space-y-3" {...formProps}>
        <Field label="Channel name" error={errorOf("name")}>
          <TextInput name="name" defaultValue={channel.name} required />
        </Field>
        <ConfigFields type={type} idPrefix={id} existing={channel.config} credentialsSet={channel.credentialsSet} errorOf={errorOf} />
        <SeverityFields idPrefix={id} selected={channel.severities} />
        <SubmitButton pending={pending} pendingLabel="Saving…">
          Save channel
        </SubmitButton>
        <ErrorMessage>{state.formError}</ErrorMessage>
      </form>
    </details>
  );
}

function ChannelButtons({ channel, actions }: { channel: NotificationChannelRow; actions: ChannelActions }) {
  const router = useRouter();
  const u = useServerAction(actions.update);
  const d = useServerAction(actions.remove);
  const t = useServerAction(actions.test);
  const [queued, setQueued] = useState(false);
  const done = (message: string) => () => {
    notify(message);
    router.refresh();
  };
  const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        <Button variant="secondary" disabled={t.pending} onClick={() => t.run({ id: channel.id }, () => (setQueued(true), done(`Test alert queued for “${channel.name}”`)()))}>
          {queued ? "Test alert queued" : "Send test alert"}
        </Button>
        {channel.muted ? (
          <Button variant="secondary" disabled={u.pending} onClick={() => u.run({ id: channel.id, muted: false }, done(`“${channel.name}” unmuted`))}>
            Unmute
          </Button>
        ) : (
          <>
            <Button variant="secondary" disabled={u.pending} onClick={() => u.run({ id: channel.id, muted: true, mutedUntil: inAnHour() }, done(`“${channel.name}” muted for an hour`))}>
              Mute 1 h
            </Button>
            <Button variant="secondary" disabled={u.pending} onClick={() => u.run({ id: channel.id, muted: true, mutedUntil: null }, done(`“${channel.name}” muted`))}>
              Mute
            </Button>
          </>
        )}
        <Button
          variant="secondary"
          disabled={u.pending}
          onClick={() => u.run({ id: channel.id, isDefault: !channel.isDefault }, done(channel.isDefault ? `“${channel.name}” is no longer a default channel` : `“${channel.name}” is a default channel`))}
        >
          {channel.isDefault ? "Not default" : "Make default"}
        </Button>
        <Button variant="secondary" disabled={u.pending} onClick={() => u.run({ id: channel.id, enabled: !channel.enabled }, done(channel.enabled ? `“${channel.name}” disabled` : `“${channel.name}” enabled`))}>
          {channel.enabled ? "Disable" : "Enable"}
        </Button>
        <ConfirmButton
          disabled={d.pending}
          aria-label={`Delete channel ${channel.name}`}
          title={`Delete channel “${channel.name}”?`}
          description="Alerts are no longer sent to it."
          confirmLabel="Delete channel"
          pending={d.pending}
          error={d.error}
          onOpen={() => d.setError(null)}
          onConfirm={(close) => d.run({ id: channel.id }, () => (close(), done(`Channel “${channel.name}” deleted`)()))}
        >
          Delete
        </ConfirmButton>
      </div>
      <ErrorMessage>{u.error ?? t.error}</ErrorMessage>
    </div>
  );
}

function ChannelCard({ channel, actions }: { channel: NotificationChannelRow; actions: ChannelActions }) {
  const takes = channel.severities.map((s) => SEVERITY_LABELS[s as SeverityName] ?? s).join(", ") || "nothing but tests";
  return (
    <li data-testid="channel-row" data-channel-name={channel.name} data-type={channel.type} className="rounded-lg border border-slate-200 p-4">
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="font-medium">{channel.name}</h3>
        <span className="text-sm text-slate-500">{TYPE_LABELS[channel.type as ChannelTypeName] ?? channel.type}</span>
        {channel.isDefault ? <Badge value="running" label="default" /> : null}
        {channel.enabled ? <Badge value="up" label="enabled" /> : <Badge value="paused" label="disabled" />}
        {channel.muted ? <Badge value="cancelled" label={channel.mutedUntil ? `muted until ${formatTime(channel.mutedUntil)}` : "muted"} /> : null}
      </div>
      <p className="mt-1 break-all font-mono text-xs text-slate-600">{channel.urlHint}</p>
      <p className="mt-1 text-xs text-slate-500">Sends: {takes}</p>
      <div className="mt-3">
        <ChannelButtons channel={channel} actions={actions} />
      </div>
      <EditChannel channel={channel} update={actions.update} />
    </li>
  );
}

/** Every channel as a card: where it sends (no secret), what it takes, its state, and what can be done with it. */
export function ChannelList({ channels, actions }: { channels: NotificationChannelRow[]; actions: ChannelActions }) {
  if (channels.length === 0) return <p className="text-sm text-slate-500">No channels yet: alerts are recorded but not sent anywhere.</p>;
  return (
    <ul className="space-y-3" data-testid="channels">
      {channels.map((c) => (
        <ChannelCard key={c.id} channel={c} actions={actions} />
      ))}
    </ul>
  );
}
