import type { NotificationChannelRow } from "@/lib/queries/notification-channels";
import { Badge } from "../ui/badge";
import { Section } from "../ui/section";
import { Table } from "../ui/table";
import type { Action } from "../use-server-action";
import { ChannelForm, ChannelRowActions } from "./channel-forms";

type ChannelActions = { create: Action; update: Action; remove: Action; test: Action };

/** Where alerts go: each channel with its kind, the host of its URL (the rest is secret) and its state. */
export function ChannelsSection({ channels, actions }: { channels: NotificationChannelRow[]; actions: ChannelActions }) {
  return (
    <Section title="Channels" size="lg" className="mb-8">
      <Table
        className="mb-6"
        data-testid="channels"
        rows={channels}
        rowKey={(c) => c.id}
        rowProps={(c) => ({ "data-testid": "channel-row", "data-channel-name": c.name })}
        empty="No channels yet: alerts are recorded but not sent anywhere."
        columns={[
          { header: "Name", className: "font-medium", cell: (c) => c.name },
          { header: "Kind", cell: (c) => (c.type === "slack" ? "Slack-compatible" : "JSON webhook") },
          { header: "URL", className: "font-mono text-xs text-slate-600", cell: (c) => c.urlHint },
          { header: "State", cell: (c) => (c.enabled ? <Badge value="up" label="enabled" /> : <Badge value="paused" label="disabled" />) },
          { header: "", cell: (c) => <ChannelRowActions channel={c} update={actions.update} remove={actions.remove} test={actions.test} /> },
        ]}
      />
      <ChannelForm action={actions.create} />
    </Section>
  );
}
