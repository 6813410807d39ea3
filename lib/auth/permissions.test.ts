import { describe, expect, it } from "vitest";
import { auditScope, can, PERMISSIONS, RULES, type Permission } from "./permissions";
import type { Principal, Role } from "./roles";

const ROLES: Role[] = ["viewer", "deployer", "admin"];
const user = (role: Role): Principal => ({ kind: "user", id: `u-${role}`, email: `${role}@example.test`, name: null, role });
const token = (role: Role): Principal => ({ kind: "token", id: `t-${role}`, name: `ci-${role}`, role });

/** Who gets through each rule, written out by hand: [viewer, deployer, admin] for users, then for tokens. */
const EXPECTED: Record<Permission, { users: [boolean, boolean, boolean]; tokens: [boolean, boolean, boolean]; role: Role }> = {
  viewDashboard: { users: [true, true, true], tokens: [true, true, true], role: "viewer" },
  deploy: { users: [false, true, true], tokens: [false, true, true], role: "deployer" },
  manageServers: { users: [false, false, true], tokens: [false, false, true], role: "admin" },
  manageApps: { users: [false, false, true], tokens: [false, false, true], role: "admin" },
  manageMonitors: { users: [false, false, true], tokens: [false, false, true], role: "admin" },
  manageSettings: { users: [false, false, true], tokens: [false, false, true], role: "admin" },
  manageUsers: { users: [false, false, true], tokens: [false, false, true], role: "admin" },
  manageTokens: { users: [false, false, true], tokens: [false, false, true], role: "admin" },
  verifyAuditChain: { users: [false, false, true], tokens: [false, false, true], role: "admin" },
  viewAllAudit: { users: [false, false, true], tokens: [false, false, true], role: "admin" },
  // Every signed-in user reads the log (their own part of it); a token needs admin.
  viewAudit: { users: [true, true, true], tokens: [false, false, true], role: "admin" },
};

describe("permissions", () => {
  it("lists every rule the table covers, and no other", () => {
    expect([...PERMISSIONS].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const permission of Object.keys(EXPECTED) as Permission[]) {
    it(`${permission}: by role, for users and for tokens`, () => {
      const want = EXPECTED[permission];
      expect(ROLES.map((r) => can[permission](user(r)))).toEqual(want.users);
      expect(ROLES.map((r) => can[permission](token(r)))).toEqual(want.tokens);
      expect(RULES[permission].role).toBe(want.role);
    });
  }

  it("a rule's role is the lowest one it lets every principal through with", () => {
    for (const permission of PERMISSIONS) {
      const { role } = RULES[permission];
      const lowest = ROLES.find((r) => can[permission](user(r)) && can[permission](token(r)));
      expect(lowest, permission).toBe(role);
    }
  });

  it("only viewAudit lets anyone below its role through, and says so for the API document", () => {
    expect(PERMISSIONS.filter((p) => "alsoAllows" in RULES[p])).toEqual(["viewAudit"]);
  });
});

describe("auditScope", () => {
  it("gives an admin every event and anyone else only the events they did", () => {
    expect(auditScope(user("admin"))).toEqual({ kind: "all" });
    expect(auditScope(token("admin"))).toEqual({ kind: "all" });
    expect(auditScope(user("deployer"))).toEqual({ kind: "own", actorType: "user", actorId: "u-deployer" });
    expect(auditScope(user("viewer"))).toEqual({ kind: "own", actorType: "user", actorId: "u-viewer" });
    expect(auditScope(token("deployer"))).toEqual({ kind: "own", actorType: "token", actorId: "t-deployer" });
  });

  it("agrees with viewAllAudit", () => {
    for (const p of ROLES.flatMap((r) => [user(r), token(r)])) expect(auditScope(p).kind === "all").toBe(can.viewAllAudit(p));
  });
});
