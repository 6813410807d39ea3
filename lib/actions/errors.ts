import { isConnectionLoss } from "../db/retry";
import { AppError } from "../errors";
import { log } from "../log";

/** What a client is told about a failure: API routes, server actions and the deploy stream all map here. */
export interface PublicError {
  status: number;
  code: string;
  message: string;
  /** Only for failures the client cannot fix (500, 503): the id that finds the details in the server log. */
  requestId?: string;
}

/**
 * The one error mapping. Deckhand's own errors keep their status and words; the database being unreachable is
 * 503 `unavailable`; anything else is 500 `internal` with a plain message. The last two carry the request id,
 * and only the server log gets the error itself (stack, Prisma's invocation text, paths).
 */
export function publicError(err: unknown, requestId: string, context: Record<string, unknown> = {}): PublicError {
  if (err instanceof AppError) return { status: err.status, code: err.code, message: err.message };
  if (isConnectionLoss(err)) {
    log.error({ err, requestId, ...context }, "database unreachable");
    return { status: 503, code: "unavailable", message: `The database cannot be reached right now; try again shortly (request id ${requestId})`, requestId };
  }
  log.error({ err, requestId, ...context }, "internal error");
  return { status: 500, code: "internal", message: `Something went wrong; the server log has the details (request id ${requestId})`, requestId };
}
