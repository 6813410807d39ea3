import pino from "pino";
import { env } from "./env";

/** Structured JSON logs; secrets are redacted by key name wherever they appear. */
export const log = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: "deckhand" },
  redact: {
    paths: [
      "privateKey",
      "*.privateKey",
      "password",
      "*.password",
      "token",
      "*.token",
      "secret",
      "*.secret",
      "authorization",
      "*.authorization",
      "headers.cookie",
    ],
    censor: "[redacted]",
  },
});

export function warnIfSecretGenerated(): void {
  if (env().secretGenerated) {
    log.warn(
      { file: `${env().dataDir}/secret` },
      "DECKHAND_SECRET is not set: generated one into the data directory (development only; set DECKHAND_SECRET in production)",
    );
  }
}
