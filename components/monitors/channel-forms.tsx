"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { getNetworkPolicy, NotificationChannelRow } from "@/lib/queries/notification-channels";
import { useServerAction, type Action } from "../use-server-action";
import { Button, ErrorMessage, Field, Select, TextInput } from "../ui/form";

export function ChannelForm({ action }: { action: Action }) {
  const router = useRouter();
  const { error, pending, run } = useServerAction(action);
  return (
    <form
      data-testid="channel-form"
      className="grid gap-3 sm:grid-cols-4 sm:items-end"
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        run({ name: f.get("name"), type: f.get("type"), url: f.get("url") }, () => {
          form.reset();
          router.refresh();
        });
      }}
    >
      <Field label="Channel name">
        <TextInput name="name" required placeholder="ops" />
      </Field>
      <Field label="Kind">
        <Select name="type" defaultValue="webhook">
          <option value="webhook">Generic JSON webhook</option>
          <option value="slack">Slack-compatible webhook</option>
        </Select>
      </Field>
      <Field label="Webhook URL" hint="Stored encrypted; only its host is shown again.">
        <TextInput name="url" type="url" required placeholder="https://hooks.slack.com/services/…" />
      </Field>
      <Button type="submit" disabled={pending}>
        {pending ? "Adding…" : "Add channel"}
      </Button>
      <div className="sm:col-span-4">
        <ErrorMessage>{error}</ErrorMessage>
      </div>
    </form>
  );
}

export function ChannelRowActions({ channel, update, remove, test }: { channel: Pick<NotificationChannelRow, "id" | "name" | "enabled">; update: Action; remove: Action; test: Action }) {
  const router = useRouter();
  const u = useServerAction(update);
  const d = useServerAction(remove);
  const t = useServerAction(test);
  const [queued, setQueued] = useState(false);
  return (
    <div className="flex flex-wrap items-center justify-end gap-2">
      <Button variant="secondary" disabled={t.pending} onClick={() => t.run({ id: channel.id }, () => { setQueued(true); router.refresh(); })}>
        {queued ? "Test queued" : "Send test"}
      </Button>
      <Button variant="secondary" disabled={u.pending} onClick={() => u.run({ id: channel.id, enabled: !channel.enabled }, () => router.refresh())}>
        {channel.enabled ? "Disable" : "Enable"}
      </Button>
      <Button
        variant="danger"
        disabled={d.pending}
        onClick={() => {
          if (window.confirm(`Delete channel “${channel.name}”?`)) d.run({ id: channel.id }, () => router.refresh());
        }}
      >
        Delete
      </Button>
      <ErrorMessage>{u.error ?? d.error ?? t.error}</ErrorMessage>
    </div>
  );
}

export type NetworkPolicyView = Awaited<ReturnType<typeof getNetworkPolicy>>;

export function NetworkPolicyForm({ action, deny, allow }: { action: Action } & Pick<NetworkPolicyView, "deny" | "allow">) {
  const router = useRouter();
  const { error, pending, run } = useServerAction(action);
  const [saved, setSaved] = useState(false);
  const area = "block w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500";
  return (
    <form
      data-testid="network-policy-form"
      className="grid gap-3 sm:grid-cols-2"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        setSaved(false);
        run({ deny: f.get("deny"), allow: f.get("allow") }, () => {
          setSaved(true);
          router.refresh();
        });
      }}
    >
      <Field label="Also deny" hint="CIDR ranges, one per line (e.g. 10.20.0.0/16).">
        <textarea name="deny" rows={4} defaultValue={deny.join("\n")} className={area} />
      </Field>
      <Field label="Allow" hint="Exceptions that win over every denial, the defaults included.">
        <textarea name="allow" rows={4} defaultValue={allow.join("\n")} className={area} />
      </Field>
      <div className="flex items-center gap-3 sm:col-span-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save network policy"}
        </Button>
        {saved ? <span className="text-sm text-emerald-700">Saved; workers pick it up within 15 s.</span> : null}
      </div>
      <div className="sm:col-span-2">
        <ErrorMessage>{error}</ErrorMessage>
      </div>
    </form>
  );
}
