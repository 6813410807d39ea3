import { headers } from "next/headers";
import { z } from "zod";
import { db } from "../db/client";
import { recordAudit, type RequestMeta } from "../audit/record";
import { AppError, ForbiddenError, NotFoundError, RateLimitedError, UnauthenticatedError, ValidationError } from "../errors";
import { getSessionContext, type SessionContext } from "../auth/session";
import { requestMeta } from "../auth/request-meta";
import { verifyPassword } from "../auth/password";
import { passwordSchema, changeOwnPassword } from "../auth/users";
import { endOwnSession, endUserSessions, markSecondFactorPassed } from "../auth/sessions";
import { revokeApiToken } from "../auth/tokens";
import { accountKey, reserveAttempt, secondFactorKey } from "../auth/throttle";
import { tooManyAttempts } from "../auth/signin";
import { checkSecondFactor, codeSchema, confirmEnrolment, readTwoFactorPolicy, removeTwoFactor, startEnrolment, twoFactorRequired } from "../auth/two-factor";
import { log } from "../log";
import { toErrorBody, type ActionResult } from "./server-action";
import { defineAction, zodMessage, type ActionContext } from "./core";

/**
 * The signed-in user's own account: their sessions, their password, their second factor. Each action is
 * run by runSessionAction (lib/actions/server-action.ts), which adds `sessionId`, the session asking, from
 * the cookie; whatever a client sends under that name is overwritten.
 */
const asking = z.object({ sessionId: z.string().min(1) });

function ownUser(ctx: ActionContext) {
  if (ctx.principal.kind !== "user") throw new ForbiddenError("Only a signed-in person has an account page");
  return ctx.principal;
}

function userTarget(user: { id: string; email: string }) {
  return { type: "user", id: user.id, name: user.email };
}

export const endOwnSessionAction = defineAction({
  name: "session.end",
  permission: "viewDashboard",
  input: asking.extend({ id: z.string().min(1).max(100) }),
  async handler(input, ctx) {
    const user = ownUser(ctx);
    const ended = await endOwnSession(ctx.tx, user.id, input.id);
    ctx.audit({ type: "session", id: input.id.slice(0, 8), name: user.email }, { ended, current: input.id === input.sessionId });
    return { ended, current: input.id === input.sessionId };
  },
});

/**
 * Anyone may revoke a token they created themselves (an admin revokes anyone's in Settings). Someone else's
 * token answers "not found", as if it did not exist, so its id tells a non-admin nothing.
 */
export const revokeOwnTokenAction = defineAction({
  name: "token.revoke",
  permission: "viewDashboard",
  input: asking.extend({ tokenId: z.string().min(1).max(100) }),
  async handler(input, ctx) {
    const user = ownUser(ctx);
    const owned = await ctx.tx.apiToken.findFirst({ where: { id: input.tokenId, createdById: user.id }, select: { id: true } });
    if (!owned) throw new NotFoundError("API token");
    const row = await revokeApiToken(ctx.tx, owned.id);
    ctx.audit({ type: "token", id: row.id, name: row.name }, { own: true });
    return { id: row.id };
  },
});

export const endAllOwnSessionsAction = defineAction({
  name: "session.end_all",
  permission: "viewDashboard",
  input: asking,
  async handler(_input, ctx) {
    const user = ownUser(ctx);
    const ended = await endUserSessions(ctx.tx, user.id, "ended_all");
    ctx.audit(userTarget(user), { sessionsEnded: ended });
    return { ended };
  },
});

/** Checks the user's current password, counted against the same per-account limit as sign-in. */
async function confirmPassword(userId: string, email: string, password: string, field: string): Promise<void> {
  const reservation = await reserveAttempt(db(), [accountKey(email)]);
  if (!reservation.ok) throw new RateLimitedError(tooManyAttempts(reservation, "password attempts"));
  const row = await db().user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  if (!row || !(await verifyPassword(password, row.passwordHash))) throw new ValidationError(`${field}: is not your current password`, [{ path: [field], message: "that is not your current password" }]);
  await reservation.succeeded();
}

export const changeOwnPasswordAction = defineAction({
  name: "account.password_change",
  permission: "viewDashboard",
  input: asking.extend({ currentPassword: z.string().min(1, "is required").max(200), newPassword: passwordSchema }),
  // The attempt counter must survive a wrong password, so no transaction around the handler.
  transaction: false,
  async handler(input, ctx) {
    const user = ownUser(ctx);
    await confirmPassword(user.id, user.email, input.currentPassword, "currentPassword");
    const ended = await db().$transaction((tx) => changeOwnPassword(tx, user.id, input.sessionId, input.newPassword));
    ctx.audit(userTarget(user), { passwordChanged: true, otherSessionsEnded: ended });
    return { otherSessionsEnded: ended };
  },
});

export const startEnrolmentAction = defineAction({
  name: "two_factor.enrol_start",
  permission: "viewDashboard",
  input: asking,
  async handler(_input, ctx) {
    const user = ownUser(ctx);
    const enrolment = await startEnrolment(ctx.tx, user.id);
    ctx.audit(userTarget(user));
    return { secret: enrolment.secret, qrSvg: enrolment.qrSvg, uri: enrolment.uri };
  },
});

export const confirmEnrolmentAction = defineAction({
  name: "two_factor.enrol",
  permission: "viewDashboard",
  input: asking.extend({ code: codeSchema }),
  async handler(input, ctx) {
    const user = ownUser(ctx);
    const recoveryCodes = await confirmEnrolment(ctx.tx, user.id, input.code);
    await markSecondFactorPassed(ctx.tx, input.sessionId);
    // A session signed in with the password alone now owes a code it never gave: end the others.
    const ended = await endUserSessions(ctx.tx, user.id, "two_factor_enabled", input.sessionId);
    ctx.audit(userTarget(user), { method: "totp", recoveryCodesIssued: recoveryCodes.length, otherSessionsEnded: ended });
    return { recoveryCodes };
  },
});

export const disableTwoFactorAction = defineAction({
  name: "two_factor.disable",
  permission: "viewDashboard",
  input: asking.extend({ password: z.string().min(1, "is required").max(200) }),
  transaction: false,
  async handler(input, ctx) {
    const user = ownUser(ctx);
    if (twoFactorRequired(await readTwoFactorPolicy(db()), user.role)) {
      throw new ForbiddenError("Two-factor sign-in is required for your role (an admin setting), so it cannot be turned off");
    }
    await confirmPassword(user.id, user.email, input.password, "password");
    const wasOn = await db().$transaction((tx) => removeTwoFactor(tx, user.id));
    ctx.audit(userTarget(user), { wasOn });
    return { wasOn };
  },
});

const SECOND_FACTOR_MESSAGES = {
  wrong_code: "code: that code is not right",
  replayed_code: "code: that code was just used; wait for the next one, or use a recovery code",
  not_enrolled: "code: two-factor sign-in is not set up for this account",
} as const;

/**
 * The second sign-in step: a code from the authenticator, or a recovery code, for a session that owes one.
 * Not a runAction: like the password step, its attempts are counted before the check and a rate-limited
 * attempt is audited once per lock, not each time.
 */
export async function completeSecondFactor(context: Pick<SessionContext, "principal" | "sessionId">, raw: unknown, meta: RequestMeta) {
  const parsed = z.object({ code: codeSchema }).safeParse(raw);
  if (!parsed.success) throw new ValidationError(zodMessage(parsed.error));
  const user = context.principal;
  const audit = (outcome: "success" | "failure", summary: Record<string, unknown>) => db().$transaction((tx) => recordAudit(tx, { actor: user, meta, action: "auth.second_factor", target: userTarget(user), outcome, summary }));

  const reservation = await reserveAttempt(db(), [secondFactorKey(user.id)]);
  if (!reservation.ok) {
    if (reservation.firstOfLock) await audit("failure", { reason: "rate_limited", minutes: reservation.minutes });
    throw new RateLimitedError(tooManyAttempts(reservation, "codes"));
  }
  const reported = reservation.refusedWhileLocked > 0 ? { refusedWhileLocked: reservation.refusedWhileLocked } : {};
  const result = await checkSecondFactor(db(), user.id, parsed.data.code);
  if (!result.ok) {
    await audit("failure", { reason: result.reason, ...reported });
    throw new ValidationError(SECOND_FACTOR_MESSAGES[result.reason]);
  }
  await reservation.succeeded();
  await markSecondFactorPassed(db(), context.sessionId);
  await audit("success", { method: result.method, recoveryCodesLeft: result.recoveryCodesLeft, ...reported });
  return { method: result.method, recoveryCodesLeft: result.recoveryCodesLeft };
}

/** The server-action body of the second step: only for a session that owes its code. */
export async function runSecondFactorStep(input: unknown): Promise<ActionResult<{ method: string; recoveryCodesLeft: number }>> {
  try {
    const context = await getSessionContext();
    if (!context || context.stage !== "second_factor") throw new UnauthenticatedError("This sign-in has ended: sign in again");
    return { ok: true, data: await completeSecondFactor(context, input, requestMeta(await headers())) };
  } catch (err) {
    if (!(err instanceof AppError)) log.error({ err }, "second sign-in step failed");
    return { ok: false, error: toErrorBody(err) };
  }
}
