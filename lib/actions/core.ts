import { z } from "zod";
import { db, type Db, type Tx } from "../db/client";
import { AppError, ForbiddenError, UnauthenticatedError, ValidationError } from "../errors";
import type { Principal } from "../auth/roles";
import { RULES, type Permission } from "../auth/permissions";
import { recordAudit, type AuditTarget, type RequestMeta } from "../audit/record";
import { log } from "../log";
import { inputTarget } from "./audit-target";
import { issueLine } from "./field-errors";
import { findBadString } from "./input-strings";
import { strictInput } from "./strict";

export interface ActionContext {
  principal: Principal;
  meta: RequestMeta;
  /** The action's transaction (or the plain client for `transaction: false` actions). */
  tx: Tx | Db;
  /** Names what the action touched and summarises the change for the audit event. */
  audit(target: AuditTarget, summary?: unknown): void;
}

export interface ActionDefinition<S extends z.ZodType, R> {
  /** Audit action name, e.g. "server.create". */
  name: string;
  permission: Permission;
  input: S;
  /**
   * true (default): the handler and its audit event share one transaction.
   * false: for work that must not hold a transaction open (SSH, enqueueing long jobs); the handler
   * writes its own rows and the event is recorded right after it succeeds.
   */
  transaction?: boolean;
  handler(input: z.infer<S>, ctx: ActionContext): Promise<R>;
  /**
   * What a refused or failed attempt names as its target, before the handler could say (an app that is
   * locked, a server that did not verify). Default: the input's first `…Id` field (lib/actions/audit-target.ts).
   */
  target?(input: unknown): AuditTarget | null;
  /** Side effects that must only happen once the change is committed (queueing a job for the new row). */
  afterCommit?(result: R): Promise<void>;
}

/** The first problem as one line naming the field ("port: must be at most 65535", `unknown field "nmae"`). */
export function zodMessage(error: z.ZodError): string {
  const issue = error.issues.find((i) => i.code === "unrecognized_keys") ?? error.issues[0];
  return issue ? issueLine(issue) : "Invalid input";
}

async function recordStandalone(principal: Principal, meta: RequestMeta, name: string, outcome: "failure" | "denied", target: AuditTarget, summary: unknown): Promise<void> {
  try {
    await db().$transaction((tx) => recordAudit(tx, { actor: principal, meta, action: name, outcome, target, summary }));
  } catch (err) {
    log.error({ err, action: name }, "could not record audit event");
  }
}

/** The change is committed and stands; a failed follow-up (a lost job is re-sent by the sweeper) is only logged. */
async function afterCommit<R>(def: { name: string; afterCommit?(result: R): Promise<void> }, result: R): Promise<void> {
  try {
    await def.afterCommit?.(result);
  } catch (err) {
    log.error({ err, action: def.name }, "post-commit step failed");
  }
}

/** Throws 401 without a principal; audits and throws 403 when the permission's rule refuses it. */
export async function assertPermission(principal: Principal | null, permission: Permission, name: string, meta: RequestMeta, target: AuditTarget = inputTarget(name, undefined)): Promise<Principal> {
  if (!principal) throw new UnauthenticatedError();
  const rule = RULES[permission];
  if (!rule.allows(principal)) {
    await recordStandalone(principal, meta, name, "denied", target, { requiredRole: rule.role, status: 403 });
    throw new ForbiddenError(`This needs the ${rule.role} role; you are ${principal.role}`);
  }
  return principal;
}

/** The shared string check (input-strings.ts), then the action's schema: one message naming the field either way. */
function parseInput<S extends z.ZodType>(schema: S, raw: unknown): { ok: true; data: z.infer<S> } | { ok: false; message: string; issues: unknown } {
  const badString = findBadString(raw);
  if (badString) return { ok: false, message: badString.message, issues: [{ path: badString.path, message: badString.problem }] };
  const parsed = schema.safeParse(raw);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, message: zodMessage(parsed.error), issues: parsed.error.issues };
}

/**
 * The one path every mutating server action and API route takes:
 * principal → permission → string check and zod input → handler, with exactly one audit event for the attempt.
 */
export async function runAction<S extends z.ZodType, R>(def: ActionDefinition<S, R>, maybePrincipal: Principal | null, rawInput: unknown, meta: RequestMeta): Promise<R> {
  // Every event names its target: until the handler names it, what the input says it is about.
  const asked = def.target?.(rawInput) ?? inputTarget(def.name, rawInput);
  const principal = await assertPermission(maybePrincipal, def.permission, def.name, meta, asked);
  const parsed = parseInput(def.input, rawInput);
  if (!parsed.ok) {
    await recordStandalone(principal, meta, def.name, "failure", asked, { error: parsed.message });
    throw new ValidationError(parsed.message, parsed.issues);
  }

  let target: AuditTarget | null = null;
  const named = (): AuditTarget => {
    if (!target) throw new Error(`action ${def.name} succeeded without naming its target (ctx.audit)`);
    return target;
  };
  let summary: unknown;
  const makeCtx = (tx: Tx | Db): ActionContext => ({
    principal,
    meta,
    tx,
    audit(t, s) {
      target = t;
      summary = s;
    },
  });

  try {
    if (def.transaction === false) {
      const result = await def.handler(parsed.data, makeCtx(db()));
      await db().$transaction((tx) => recordAudit(tx, { actor: principal, meta, action: def.name, outcome: "success", target: named(), summary }));
      await afterCommit(def, result);
      return result;
    }
    const result = await db().$transaction(
      async (tx) => {
        const r = await def.handler(parsed.data, makeCtx(tx));
        await recordAudit(tx, { actor: principal, meta, action: def.name, outcome: "success", target: named(), summary });
        return r;
      },
      { timeout: 20_000, maxWait: 10_000 },
    );
    await afterCommit(def, result);
    return result;
  } catch (err) {
    const message = err instanceof AppError ? err.message : "internal error";
    if (!(err instanceof AppError)) log.error({ err, action: def.name }, "action failed");
    await recordStandalone(principal, meta, def.name, err instanceof ForbiddenError ? "denied" : "failure", target ?? asked, { ...(summary && typeof summary === "object" ? summary : {}), error: message });
    throw err;
  }
}

/**
 * Lets TypeScript infer an action's input and result types, and makes its input strict (lib/actions/strict.ts):
 * a field the action does not know is refused naming it, for the API, the forms and the CLI alike.
 */
export function defineAction<S extends z.ZodType, R>(def: ActionDefinition<S, R>): ActionDefinition<S, R> {
  return { ...def, input: strictInput(def.input) };
}
