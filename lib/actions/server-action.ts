import { randomUUID } from "node:crypto";
import { headers } from "next/headers";
import type { z } from "zod";
import { requestIdOf } from "../web/request-id";
import { publicError } from "./errors";
import { ValidationError } from "../errors";
import { formErrorsOf, type FormErrors, type IssueLike } from "./field-errors";
import { getSessionContext, getSessionPrincipal } from "../auth/session";
import { requestMeta } from "../auth/request-meta";
import type { SessionStage } from "../auth/two-factor";
import { runAction, type ActionDefinition } from "./core";

/** A failure as a browser gets it; an invalid input also says which field has which problem (lib/actions/field-errors.ts). */
export interface ActionError extends Partial<FormErrors> {
  code: string;
  message: string;
  status: number;
  requestId?: string;
}

export type ActionResult<R> = { ok: true; data: R } | { ok: false; error: ActionError };

/** Turns an action definition into a server-action body: the browser gets a result, never a stack trace. */
export async function runServerAction<S extends z.ZodType, R>(def: ActionDefinition<S, R>, input: unknown): Promise<ActionResult<R>> {
  const h = await headers();
  try {
    const principal = await getSessionPrincipal();
    const data = await runAction(def, principal, input, requestMeta(h));
    return { ok: true, data };
  } catch (err) {
    return { ok: false, error: toErrorBody(err, requestIdOf(h), def.name) };
  }
}

/**
 * For the user's own account (lib/actions/account.ts): the input gets `sessionId`, the session asking, from
 * the cookie (overwriting anything the client sent under that name). `stages` lets a session that still owes
 * a required enrolment set up its second factor, and nothing else.
 */
export async function runSessionAction<S extends z.ZodType, R>(def: ActionDefinition<S, R>, input: unknown, stages: SessionStage[] = ["active"]): Promise<ActionResult<R>> {
  const h = await headers();
  try {
    const context = await getSessionContext();
    const principal = context && stages.includes(context.stage) ? context.principal : null;
    const fields = input && typeof input === "object" && !Array.isArray(input) ? input : {};
    const data = await runAction(def, principal, { ...fields, sessionId: context?.sessionId }, requestMeta(h));
    return { ok: true, data };
  } catch (err) {
    return { ok: false, error: toErrorBody(err, requestIdOf(h), def.name) };
  }
}

/** A refusal's issues: zod's, or the one that a "field: problem" message names (lib/ checks beyond the schema). */
function issuesOf(err: ValidationError): IssueLike[] {
  if (Array.isArray(err.details)) return err.details as IssueLike[];
  const named = /^([A-Za-z_]\w*(?:\.\w+)*): (.+)$/s.exec(err.message);
  return named ? [{ path: named[1]!, message: named[2]! }] : [];
}

/** The error a browser gets: Deckhand's own words, or a plain sentence with the request id (details to the log). */
export function toErrorBody(err: unknown, requestId: string = randomUUID(), action?: string): ActionError {
  const { status, code, message, requestId: id } = publicError(err, requestId, action ? { action } : {});
  const issues = err instanceof ValidationError ? issuesOf(err) : [];
  return { code, message, status, ...(id ? { requestId: id } : {}), ...(issues.length ? formErrorsOf(issues) : {}) };
}
