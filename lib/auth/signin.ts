import type { User } from "next-auth";
import { z } from "zod";
import { db } from "../db/client";
import { recordAudit, type RequestMeta } from "../audit/record";
import { decoyHash, verifyPassword } from "./password";
import { createSession } from "./sessions";
import { reserveAttempt, signInKeys, type Refusal } from "./throttle";
import { requestMeta } from "./request-meta";
import type { Role } from "./roles";

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().min(1).max(254),
  password: z.string().min(1).max(200),
});

export const SIGN_IN_FAILED = "Email or password is incorrect";

export function tooManyAttempts(refusal: Refusal, what = "sign-in attempts"): string {
  return `Too many failed ${what}. Try again in ${refusal.minutes} minute${refusal.minutes === 1 ? "" : "s"}.`;
}

/** What next-auth keeps in the cookie: the session record's id, and the user's sessionVersion at sign-in. */
export interface SessionUser extends User {
  sessionVersion: number;
  sessionId: string;
}

type AuditUser = { id: string; email: string; role: Role };

function signInAudit(meta: RequestMeta, email: string) {
  return (outcome: "success" | "failure", summary: Record<string, unknown>, user?: AuditUser) =>
    db().$transaction((tx) =>
      recordAudit(tx, {
        actor: user ? { kind: "user", id: user.id, email: user.email, name: null, role: user.role } : { kind: "anonymous", label: email },
        meta,
        action: "auth.signin",
        target: { type: "user", id: user?.id ?? null, name: email },
        outcome,
        summary,
      }),
    );
}

/**
 * The password step. The attempt is counted against the address and the account before the password is
 * checked (so parallel guesses cannot pass the limit); a refused attempt is audited once per lock, and the
 * number refused is reported with the next attempt that is checked. A right password makes a session record,
 * whose id the cookie carries; when the user has a second factor, that session still owes it.
 */
export async function authorizeCredentials(credentials: Record<string, string> | undefined, headers: Record<string, string>): Promise<SessionUser> {
  const parsed = credentialsSchema.safeParse(credentials ?? {});
  if (!parsed.success) throw new Error("Enter your email and password");
  const { email, password } = parsed.data;
  const meta = requestMeta(headers);
  const client = db();
  const audit = signInAudit(meta, email);

  const reservation = await reserveAttempt(client, signInKeys(email, meta.ip));
  if (!reservation.ok) {
    if (reservation.firstOfLock) await audit("failure", { reason: "rate_limited", scope: reservation.scope, minutes: reservation.minutes });
    throw new Error(tooManyAttempts(reservation));
  }
  const reported = reservation.refusedWhileLocked > 0 ? { refusedWhileLocked: reservation.refusedWhileLocked } : {};
  const user = await client.user.findUnique({ where: { email }, omit: { passwordHash: false } });
  const passwordOk = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
  if (!user || user.disabled || !passwordOk) {
    await audit("failure", { reason: !user ? "unknown_account" : user.disabled ? "disabled" : "wrong_password", ...reported });
    throw new Error(SIGN_IN_FAILED);
  }
  await reservation.succeeded();
  const sessionId = await createSession(client, { userId: user.id, ip: meta.ip, userAgent: meta.userAgent });
  await audit("success", { ...reported, ...(user.totpEnabledAt ? { secondFactor: "pending" } : {}) }, user);
  return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion, sessionId };
}
