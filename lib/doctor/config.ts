import type { EnvInspection } from "../env";
import type { CheckResult } from "./types";

/** One FAIL per invalid variable (each names it), else one OK; production without NEXTAUTH_URL is a WARN. */
export function checkConfig(inspection: EnvInspection): CheckResult[] {
  const { problems, settings } = inspection;
  const results: CheckResult[] = problems.map((p) => ({ name: "config", status: "fail", detail: p.replace(/^Invalid configuration: /, "") }));
  if (results.length === 0) {
    const database = settings.DATABASE_URL ? "DATABASE_URL set" : "embedded PostgreSQL (DATABASE_URL unset)";
    results.push({ name: "config", status: "ok", detail: `environment parses: NODE_ENV=${settings.NODE_ENV}, ${database}, port ${settings.PORT}` });
  }
  if (settings.NODE_ENV === "production" && !settings.NEXTAUTH_URL) {
    results.push({
      name: "config",
      status: "warn",
      detail: `NEXTAUTH_URL is not set: sign-in redirects will use http://localhost:${settings.PORT}; set it to the address people open`,
    });
  }
  return results;
}
