import { z } from "zod";
import { defineAction } from "./core";
import { principalLabel } from "../auth/roles";
import { runAuditVerification } from "../audit/verify";

/** The audit page's "Verify now": walks the chain, records the outcome for the page, and is itself audited. */
export const verifyAuditChainAction = defineAction({
  name: "audit.verify",
  permission: "verifyAuditChain",
  input: z.object({}),
  // A walk over millions of events must not hold a transaction (and a pool connection) of the action open.
  transaction: false,
  async handler(_input, ctx) {
    const result = await runAuditVerification(principalLabel(ctx.principal));
    ctx.audit({ type: "audit", name: "chain" }, result.ok ? { ok: true, count: result.count, head: result.head } : { ok: false, count: result.count, brokenAt: result.brokenAt, reason: result.reason });
    return result;
  },
});
