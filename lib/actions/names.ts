import * as account from "./account";
import * as alerts from "./alerts";
import * as apps from "./apps";
import * as audit from "./audit";
import * as deploys from "./deploys";
import * as environments from "./environments";
import * as incidents from "./incidents";
import * as heartbeat from "./heartbeat";
import * as monitors from "./monitors";
import * as push from "./push";
import * as servers from "./servers";
import * as statusPages from "./status-pages";
import * as users from "./users";

/**
 * Audit action names written outside defineAction: sign-in and sign-out, the second factor, the deploy and
 * rollback finish events (lib/deploy/lifecycle.ts), the CLI's user and token commands, and the archive.
 */
const RECORDED_ELSEWHERE = ["auth.signin", "auth.signout", "auth.second_factor", "deploy.finish", "rollback.finish", "deploy.expire", "user.create", "token.create", "token.revoke", "audit.archive"] as const;

function isActionDefinition(v: unknown): v is { name: string; handler: unknown; permission: unknown } {
  return typeof v === "object" && v !== null && typeof (v as { name?: unknown }).name === "string" && typeof (v as { handler?: unknown }).handler === "function" && "permission" in v;
}

/** Every action name the audit log can hold: the name of every defineAction plus the events recorded elsewhere, sorted. */
export function knownAuditActionNames(): string[] {
  const names = new Set<string>(RECORDED_ELSEWHERE);
  for (const mod of [account, alerts, apps, audit, deploys, environments, heartbeat, incidents, monitors, push, servers, statusPages, users]) {
    for (const value of Object.values(mod)) if (isActionDefinition(value)) names.add(value.name);
  }
  return [...names].sort();
}
