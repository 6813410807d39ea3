import { hasRole, type Principal, type Role } from "./roles";

/**
 * Every rule of who may do what, in one place: actions and reads name a permission, pages and
 * components ask `can.<permission>(principal)`, and the API document reads each rule's role.
 */
export interface Rule {
  /** The lowest role the rule lets through: the 403 message and the API document name it. */
  role: Role;
  allows(principal: Principal): boolean;
  /** Who else gets through below `role`, in words, for the API document. */
  alsoAllows?: string;
}

function atLeast(role: Role): Rule {
  return { role, allows: (p) => hasRole(p.role, role) };
}

const viewAllAudit = atLeast("admin");

export const RULES = {
  viewDashboard: atLeast("viewer"),
  deploy: atLeast("deployer"),
  manageServers: atLeast("admin"),
  manageApps: atLeast("admin"),
  manageMonitors: atLeast("admin"),
  manageSettings: atLeast("admin"),
  manageUsers: atLeast("admin"),
  manageTokens: atLeast("admin"),
  verifyAuditChain: atLeast("admin"),
  viewAllAudit,
  /**
   * Reading the audit log at all (the page, the search API, the export). What each one sees is
   * `auditScope`: a signed-in user below admin reads only their own events; a token below admin reads
   * nothing, since a CI token has no business in the log.
   */
  viewAudit: {
    role: "admin",
    allows: (p) => p.kind === "user" || viewAllAudit.allows(p),
    alsoAllows: "a signed-in user below admin gets only their own events",
  },
} satisfies Record<string, Rule>;

export type Permission = keyof typeof RULES;

export const PERMISSIONS = Object.keys(RULES) as Permission[];

/** `can.deploy(user)`: the same predicate the server checks, for what a page shows. */
export const can = Object.fromEntries(PERMISSIONS.map((name) => [name, RULES[name].allows])) as Record<Permission, (principal: Principal) => boolean>;

export type AuditScope = { kind: "all" } | { kind: "own"; actorType: Principal["kind"]; actorId: string };

/** Which audit events a principal allowed to `viewAudit` reads: every one, or only the ones they did. */
export function auditScope(principal: Principal): AuditScope {
  return viewAllAudit.allows(principal) ? { kind: "all" } : { kind: "own", actorType: principal.kind, actorId: principal.id };
}
