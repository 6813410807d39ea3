/** Errors thrown by lib/ and mapped to a status and a message once, at the boundary. */
export class AppError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 422 | 429 | 500 | 503,
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
