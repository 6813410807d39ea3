import { env, type Env } from "../env";
import type { HeaderSettings } from "./headers";
import type { OriginSettings } from "./origin";

export interface WebSettings extends OriginSettings, HeaderSettings {
  maxBodyBytes: number;
}

export function webSettingsFrom(e: Pick<Env, "DECKHAND_PUBLIC_URL" | "DECKHAND_TRUST_PROXY" | "DECKHAND_MAX_BODY_BYTES">, dev = false): WebSettings {
  return {
    publicOrigin: e.DECKHAND_PUBLIC_URL ? new URL(e.DECKHAND_PUBLIC_URL).origin : null,
    trustProxy: e.DECKHAND_TRUST_PROXY,
    maxBodyBytes: e.DECKHAND_MAX_BODY_BYTES,
    dev,
  };
}

let cached: WebSettings | undefined;

/** The settings as route handlers and server actions see them (the web server passes its own `dev`). */
export function webSettings(): WebSettings {
  cached ??= webSettingsFrom(env(), env().NODE_ENV === "development");
  return cached;
}
