import type { z } from "zod";
import type { ChannelType } from "../../generated/prisma/enums";
import type { AddressGuard, Resolver } from "../../net/guard";
import type { AlertMessage } from "../message";
import type { WebhookResult } from "../webhook";

/** What a send may use: the address policy every outbound connection is vetted by, a deadline, and who it is. */
export interface SendContext {
  guard: AddressGuard;
  resolve?: Resolver;
  signal?: AbortSignal;
  /** The delivery row's id: receivers can drop a repeat by it (a retry after a lost answer). */
  deliveryId: string;
}

export type SendResult = WebhookResult;

/**
 * One kind of alert channel. `config` validates the whole stored config; `secrets` name the fields that are
 * credentials (never shown again, kept when a change leaves them out); `hosts` are the addresses the channel
 * will contact, vetted by the address guard when it is saved (and again on every send).
 */
export interface AlertProvider<C extends object = Record<string, unknown>> {
  type: ChannelType;
  label: string;
  config: z.ZodType<C>;
  secrets: readonly string[];
  hosts(config: C): string[];
  /** Where it sends, for the channel list: never a secret (a webhook's path often is one). */
  hint(config: C): string;
  send(message: AlertMessage, config: C, ctx: SendContext): Promise<SendResult>;
}

/** The host of a URL and a hint that shows only its scheme and host. */
export function urlHint(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return "(invalid URL)";
  }
}

export function urlHost(url: string): string {
  return new URL(url).hostname;
}
