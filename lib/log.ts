import pino from "pino";
import { logEnv, type Env } from "./env";

/** Structured JSON logs; secrets are redacted by key name wherever they appear. */
const settings = logEnv();

export const log = pino(
  {
    level: settings.LOG_LEVEL,
    base: { service: "deckhand" },
    redact: {
      paths: ["privateKey", "*.privateKey", "password", "*.password", "token", "*.token", "secret", "*.secret", "authorization", "*.authorization", "headers.cookie"],
      censor: "[redacted]",
    },
  },
  settings.DECKHAND_LOG_STDERR === "1" ? pino.destination(2) : undefined,
);

export function warnIfSecretGenerated(parsed: Pick<Env, "dataDir"> & { secretGenerated: boolean }): void {
  if (parsed.secretGenerated) {
    log.warn({ file: `${parsed.dataDir}/secret` }, "DECKHAND_SECRET is not set: generated one into the data directory (development only; set DECKHAND_SECRET in production)");
  }
}
