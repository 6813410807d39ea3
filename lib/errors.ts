/** Errors thrown by lib/ and mapped to a status and a message once, at the boundary. */
export class AppError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 411 | 413 | 415 | 422 | 429 | 500 | 502 | 503,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: unknown) {
    super(400, "invalid_input", message, details);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = "Sign in or pass a valid API token") {
    super(401, "unauthenticated", message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = "Your role does not allow this") {
    super(403, "forbidden", message);
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super(404, "not_found", `${what} not found`);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, details?: unknown) {
    super(409, "conflict", message, details);
  }
}

export class RateLimitedError extends AppError {
  constructor(message: string) {
    super(429, "rate_limited", message);
  }
}

const PROGRAMMING_ERRORS = [TypeError, RangeError, ReferenceError, SyntaxError, EvalError, URIError];

/**
 * Whether an error's text may hold internals (a Prisma invocation excerpt, a driver's message with addresses,
 * a file path, a stack) rather than words written for a person. Deckhand's own errors (AppError and the
 * rooms' typed errors, such as SshError and StepError, whose messages name the step, server and command
 * output) are written for people; database and driver errors, programming errors (TypeError…), Node's system
 * errors and anything that is not an Error are internal, and so is a plain Error whose message looks like code.
 */
export function isInternalError(err: unknown): boolean {
  if (err instanceof AppError) return false;
  if (!(err instanceof Error)) return true;
  if (PROGRAMMING_ERRORS.some((type) => err instanceof type)) return true;
  const e = err as Error & { clientVersion?: unknown; syscall?: unknown };
  if (e.clientVersion !== undefined || e.syscall !== undefined || /^(Prisma|DriverAdapter|Database)/.test(e.name) || /^(Prisma|DriverAdapter|Database)/.test(e.constructor.name)) return true;
  return e.constructor === Error && /\n\s+at |invocation|node_modules|\.[cm]?[jt]sx?:\d+|prisma/i.test(e.message);
}

/** A short id that ties what a person sees to the server log line with the details. */
export function errorReference(): string {
  return globalThis.crypto.randomUUID();
}

/** The words a person gets for an internal error. */
export function internalErrorMessage(reference: string): string {
  return `Something went wrong inside Deckhand (reference ${reference}); the server log has the details`;
}
