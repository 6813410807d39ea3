import { headers } from "next/headers";
import type { z } from "zod";
import { AppError } from "../errors";
import { getSessionPrincipal } from "../auth/session";
import { requestMeta } from "../auth/request-meta";
import { runAction, type ActionDefinition } from "./core";

export type ActionResult<R> = { ok: true; data: R } | { ok: false; error: { code: string; message: string; status: number } };

/** Turns an action definition into a server-action body: the browser gets a result, never a stack trace. */
export async function runServerAction<S extends z.ZodType, R>(def: ActionDefinition<S, R>, input: unknown): Promise<ActionResult<R>> {
  try {
    const principal = await getSessionPrincipal();
    const data = await runAction(def, principal, input, requestMeta(await headers()));
    return { ok: true, data };
  } catch (err) {
    return { ok: false, error: toErrorBody(err) };
  }
}

export function toErrorBody(err: unknown): { code: string; message: string; status: number } {
  if (err instanceof AppError) return { code: err.code, message: err.message, status: err.status };
  return { code: "internal", message: "Something went wrong; the server log has the details", status: 500 };
}
