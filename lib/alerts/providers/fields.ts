import { z } from "zod";

/** An http:// or https:// URL (a webhook, or a provider's base URL for a test or an air-gapped install). */
export const httpUrl = z
  .string()
  .trim()
  .max(2_000)
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === "http:" || u.protocol === "https:") && u.hostname.length > 0;
    } catch {
      return false;
    }
  }, "must be an http:// or https:// URL");

/** A provider's API root: its public address unless the channel names another (a relay, a test receiver). */
export function baseUrl(publicDefault: string) {
  return z.preprocess((v) => (v === "" || v === null ? undefined : v), httpUrl.default(publicDefault).transform((v) => v.replace(/\/+$/, "")));
}

/** A form sends "on"/"true"/"false"; the API sends booleans. */
function fromForm(v: unknown): unknown {
  return v === "false" || v === "off" ? false : v === "true" || v === "on" ? true : v === "" ? undefined : v;
}

export const formBoolean = (fallback: boolean) => z.preprocess(fromForm, z.boolean().default(fallback));

/** The same, left out when not given (a partial change). */
export const optionalBoolean = z.preprocess(fromForm, z.boolean().optional());
