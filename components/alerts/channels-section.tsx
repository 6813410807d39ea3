import type { NotificationChannelRow } from "@/lib/queries/notification-channels";
import { Section } from "../ui/section";
import { ChannelForm } from "./channel-form";
import { ChannelList, type ChannelActions } from "./channel-list";

/** Where alerts go: the channels, then a form to add one. */
export function ChannelsSection({ channels, actions }: { channels: NotificationChannelRow[]; actions: ChannelActions }) {
  return (
    <>
      <Section title="Channels" size="lg" className="mb-8">
        <ChannelList channels={channels} actions={actions} />
      </Section>
      <Section title="Add a channel" size="lg" className="mb-8" description="Secrets (webhook URLs, tokens, keys, passwords) are stored encrypted and never shown again.">
        <ChannelForm action={actions.create} />
      </Section>
    </>
  );
}
