import { createChannelAction, deleteChannelAction, testChannelAction, updateChannelAction } from "../actions/alerts";
import { updateAppAction } from "../actions/apps";
import { getChannelRead, listChannelsRead } from "../actions/reads";
import type { ApiRoute } from "./routes";

const channelSchema = {
  type: "object",
  properties: { id: { type: "string" }, name: { type: "string" }, type: { type: "string" }, config: { type: "object" }, credentialsSet: { type: "array", items: { type: "string" } } },
  required: ["id", "name", "type", "config"],
};

/** Alert channels, and the app update that carries an app's choice of channels. Listed in API_ROUTES. */
export const ALERT_ROUTES: ApiRoute[] = [
  {
    method: "patch",
    path: "/api/v1/apps/{appId}",
    summary: "Change an app",
    description: "Any subset of the fields of POST /api/v1/apps, and `channelIds`: where the app's alerts go (its deploys, and its monitors that did not choose), or null for the default channels.",
    tag: "Apps",
    definition: updateAppAction,
    success: { status: 200, description: "The app after the change", schema: { type: "object" } },
    example: { path: { appId: "APP_ID" }, body: { channelIds: ["CHANNEL_ID"] } },
  },
  {
    method: "get",
    path: "/api/v1/channels",
    summary: "List alert channels",
    description: "Each channel with the part of its config that is not a secret; `credentialsSet` names the secrets it holds (URLs that are credentials, tokens, passwords), which are never shown again.",
    tag: "Alerts",
    definition: listChannelsRead,
    success: { status: 200, description: "Channels, by name", schema: { type: "array", items: channelSchema } },
  },
  {
    method: "post",
    path: "/api/v1/channels",
    summary: "Add an alert channel",
    description:
      "`type` is webhook, slack, discord, teams, telegram, ntfy, pagerduty or email; `config` holds that provider's fields (docs/alerts.md). Secrets in `config` are write-only. A webhook given no `secret` gets one, returned once as `signingSecret`. `isDefault` channels get the alerts of every monitor and app that did not choose its own; `severities` picks which alerts it takes. Every address the channel will contact is vetted by the network policy (400 `target_denied`).",
    tag: "Alerts",
    definition: createChannelAction,
    success: { status: 201, description: "The channel", schema: channelSchema },
    conflict: "A channel with that name exists",
    example: {
      body: { name: "ops mail", type: "email", config: { host: "smtp.example.com", port: 587, secure: false, username: "alerts", password: "app-password", from: "Deckhand <alerts@example.com>", to: ["ops@example.com"] }, isDefault: true },
    },
  },
  {
    method: "get",
    path: "/api/v1/channels/{id}",
    summary: "An alert channel",
    tag: "Alerts",
    definition: getChannelRead,
    success: { status: 200, description: "The channel, without its secrets", schema: channelSchema },
    example: { path: { id: "CHANNEL_ID" } },
  },
  {
    method: "patch",
    path: "/api/v1/channels/{id}",
    summary: "Change an alert channel",
    description: "Any subset of the POST fields, plus `muted` and `mutedUntil`. `config` is merged into the stored one: a secret left out is kept, a field sent as null is removed. A change of `type` needs the whole new config.",
    tag: "Alerts",
    definition: updateChannelAction,
    success: { status: 200, description: "The channel after the change", schema: channelSchema },
    conflict: "Another channel has that name",
    example: { path: { id: "CHANNEL_ID" }, body: { muted: true, mutedUntil: "2026-12-01T18:00:00Z" } },
  },
  {
    method: "delete",
    path: "/api/v1/channels/{id}",
    summary: "Remove an alert channel",
    description: "Its deliveries go with it; monitors and apps that chose it no longer send there.",
    tag: "Alerts",
    definition: deleteChannelAction,
    success: { status: 200, description: "Removed", schema: { type: "object", properties: { id: { type: "string" }, deleted: { const: true } }, required: ["id", "deleted"] } },
    example: { path: { id: "CHANNEL_ID" } },
  },
  {
    method: "post",
    path: "/api/v1/channels/{id}/test",
    summary: "Send a test alert",
    description: "Queued at once and sent by a worker, muted or disabled channels included; its outcome shows in the deliveries on the Alerts page.",
    tag: "Alerts",
    definition: testChannelAction,
    success: { status: 202, description: "Queued", schema: { type: "object", properties: { id: { type: "string" }, queued: { const: true } }, required: ["id", "queued"] } },
    example: { path: { id: "CHANNEL_ID" } },
  },
];
