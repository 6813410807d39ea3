import type { AppView, listServerOptions } from "@/lib/queries/apps";
import type { ChannelOption } from "@/lib/queries/notification-channels";
import { Card } from "../ui/card";
import type { Action } from "../use-server-action";
import { AppForm, type HealthDefaults } from "./app-form";

/** The app's settings behind a disclosure, filled from what is stored (secrets by name only). */
export function EditApp({ app, servers, channels, save, healthDefaults }: { app: AppView; servers: Awaited<ReturnType<typeof listServerOptions>>; channels: ChannelOption[]; save: Action<{ id: string }>; healthDefaults: HealthDefaults }) {
  return (
    <Card as="details">
      <summary className="cursor-pointer font-semibold">Edit app</summary>
      <div className="mt-4">
        <AppForm action={save} servers={servers} channels={channels} healthDefaults={healthDefaults} initial={{ ...app, appId: app.id, serverIds: app.targets.map((t) => t.server.id), secretNames: app.secrets.map((s) => s.name) }} />
      </div>
    </Card>
  );
}
