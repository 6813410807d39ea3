import { createHmac, randomInt } from "node:crypto";
import { generate, generateSecret, generateURI, verify } from "otplib";
import QRCode from "qrcode";
import { deriveKey } from "../crypto/secretbox";

/** RFC 6238 as every authenticator app reads it: HMAC-SHA1, 6 digits, 30-second steps. */
export const TOTP = { algorithm: "sha1", digits: 6, period: 30 } as const;
/** One step either side, so a phone whose clock is half a minute off still signs in. */
export const TOTP_TOLERANCE_SECONDS = 30;
const ISSUER = "Deckhand";

export interface TotpCheck {
  /** Base32 (as stored and shown), or the raw key bytes (the RFC's test vectors). */
  secret: string | Uint8Array;
  code: string;
  /** Unix seconds; now by default. */
  epochSeconds?: number;
  /** The last step already accepted for this secret: a code from it or before is a replay. */
  afterTimeStep?: number | null;
  algorithm?: "sha1" | "sha256" | "sha512";
  digits?: 6 | 7 | 8;
}

/** The time step the code belongs to when it is valid (and not a replay), else null. */
export async function verifyTotp(check: TotpCheck): Promise<number | null> {
  const digits = check.digits ?? TOTP.digits;
  const code = check.code.replace(/\s+/g, "");
  if (!new RegExp(`^\\d{${digits}}$`).test(code)) return null;
  const result = await verify({
    secret: check.secret,
    token: code,
    algorithm: check.algorithm ?? TOTP.algorithm,
    digits,
    period: TOTP.period,
    epoch: check.epochSeconds ?? Math.floor(Date.now() / 1000),
    epochTolerance: TOTP_TOLERANCE_SECONDS,
    ...(check.afterTimeStep !== null && check.afterTimeStep !== undefined ? { afterTimeStep: check.afterTimeStep } : {}),
  });
  return result.valid && "timeStep" in result ? result.timeStep : null;
}

/** The code for a moment (tests and the RFC vectors; the server never needs to show one). */
export function totpCode(secret: string | Uint8Array, epochSeconds: number, opts: Pick<TotpCheck, "algorithm" | "digits"> = {}): Promise<string> {
  return generate({ secret, epoch: epochSeconds, algorithm: opts.algorithm ?? TOTP.algorithm, digits: opts.digits ?? TOTP.digits, period: TOTP.period });
}

export interface Enrolment {
  secret: string;
  uri: string;
  /** The otpauth URI as an SVG QR code, rendered here so the secret never goes to a third party. */
  qrSvg: string;
}

export async function newEnrolment(email: string, secret = generateSecret()): Promise<Enrolment> {
  const uri = generateURI({ issuer: ISSUER, label: email, secret, algorithm: TOTP.algorithm, digits: TOTP.digits, period: TOTP.period });
  const qrSvg = await QRCode.toString(uri, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
  return { secret, uri, qrSvg };
}

/** No 0/o, 1/l/i: read off a sheet of paper without doubt. */
const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
export const RECOVERY_CODE_COUNT = 10;

/** Ten codes like "k7pqz-3mfta" (about 49 bits each). */
export function newRecoveryCodes(): string[] {
  const one = () => Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join("");
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const c = one();
    return `${c.slice(0, 5)}-${c.slice(5)}`;
  });
}

export function normaliseRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** Keyed with a key derived from the master secret, so a copied database alone cannot test guesses. */
export function recoveryCodeHash(userId: string, code: string): string {
  return createHmac("sha256", deriveKey("recovery-codes"))
    .update(`${userId}:${normaliseRecoveryCode(code)}`)
    .digest("hex");
}
