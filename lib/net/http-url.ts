import { z } from "zod";

/** An http:// or https:// URL with a host: a monitor's target, a webhook, a provider's base URL. */
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
