import { z } from "zod";
import { httpUrl } from "../../net/http-url";

/** A provider's API root: its public address unless the channel names another (a relay, a test receiver). */
export function baseUrl(publicDefault: string) {
  return z.preprocess(
    (v) => (v === "" || v === null ? undefined : v),
    httpUrl.default(publicDefault).transform((v) => v.replace(/\/+$/, "")),
  );
}

/** A form sends "on"/"true"/"false"; the API sends booleans. */
function fromForm(v: unknown): unknown {
  return v === "false" || v === "off" ? false : v === "true" || v === "on" ? true : v === "" ? undefined : v;
}

export const formBoolean = (fallback: boolean) => z.preprocess(fromForm, z.boolean().default(fallback));

/** The same, left out when not given (a partial change). */
export const optionalBoolean = z.preprocess(fromForm, z.boolean().optional());
