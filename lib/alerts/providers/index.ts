import type { ChannelType } from "../../generated/prisma/enums";
import { discordProvider } from "./discord";
import { emailProvider } from "./email";
import { ntfyProvider } from "./ntfy";
import { pagerDutyProvider } from "./pagerduty";
import { slackProvider } from "./slack";
import { teamsProvider } from "./teams";
import { telegramProvider } from "./telegram";
import type { AlertProvider } from "./types";
import { webhookProvider } from "./webhook";

/** Every kind of channel, by its type; the order is the one forms list them in. */
export const PROVIDERS: Record<ChannelType, AlertProvider> = {
  webhook: webhookProvider,
  slack: slackProvider,
  discord: discordProvider,
  teams: teamsProvider,
  telegram: telegramProvider,
  ntfy: ntfyProvider,
  pagerduty: pagerDutyProvider,
  email: emailProvider,
};

export const CHANNEL_TYPES = Object.keys(PROVIDERS) as ChannelType[];
