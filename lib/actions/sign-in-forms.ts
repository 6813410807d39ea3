import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { log } from "../log";
import { requestIdOf } from "../web/request-id";
import { requestMeta } from "../auth/request-meta";
import { publicUrl, recordSignOut } from "../auth/options";
import { afterSignInPath } from "../auth/redirect";
import { authorizeCredentials, SIGN_IN_FAILED, type SessionUser } from "../auth/signin";
import { clearSessionCookie, setSessionCookie } from "../auth/session-cookie";
import { getSessionContext } from "../auth/session";
import { formErrorsOf } from "./field-errors";
import { failedFormState, formText, type FormState } from "./form-state";
import { runSecondFactorStep } from "./account";
import { completeSetup } from "./users";
import { toErrorBody } from "./server-action";
import { assertCleanInput } from "./input-strings";

/*
 * The sign-in pages' forms as server actions that take the posted form itself, so they work before JavaScript
 * has loaded (the browser posts, the server answers with the next page or the same form with its errors) and
 * the same way after (React posts them). Each field's problem is named in plain words next to it; what was
 * typed comes back, except passwords; success redirects.
 */

type Empty = FormState<null>;

const loginSchema = z.object({
  email: z.string().trim().min(1, "Enter your email address").max(254, "An email address is at most 254 characters").email("Enter an email address, like name@example.com"),
  password: z.string().min(1, "Enter your password").max(200, "A password is at most 200 characters"),
});

const setupFormSchema = z
  .object({
    email: z.string().trim().min(1, "Enter an email address").max(254, "An email address is at most 254 characters").email("Enter an email address, like name@example.com"),
    name: z.string().trim().max(100, "A name is at most 100 characters"),
    password: z.string().min(10, "Use at least 10 characters").max(200, "A password is at most 200 characters"),
    confirm: z.string(),
  })
  .refine((f) => f.confirm === f.password, { path: ["confirm"], message: "The two passwords do not match" });

/** The sign-in's own refusals are sentences meant for the person; anything else is logged and said plainly. */
function signInRefusal(err: unknown, requestId: string): string {
  const message = err instanceof Error ? err.message : "";
  if (message === SIGN_IN_FAILED || /^Too many failed /.test(message) || message === "Enter your email and password") return message;
  log.error({ err, requestId }, "sign-in failed on the server");
  return `Signing in failed on the server. Try again; if it keeps failing, give your administrator this request id: ${requestId}.`;
}

async function passwordSignIn(email: string, password: string): Promise<SessionUser> {
  const h = await headers();
  const user = await authorizeCredentials({ email, password }, Object.fromEntries(h.entries()));
  await setSessionCookie(user);
  return user;
}

/** Email and password. Success goes back to the sign-in page, which sends the browser on or asks for a code. */
export async function signInFromForm(prev: Empty, form: FormData): Promise<Empty> {
  const values = { email: formText(form, "email") };
  const next = afterSignInPath(formText(form, "next"), publicUrl());
  const parsed = loginSchema.safeParse({ email: values.email, password: formText(form, "password") });
  if (!parsed.success) return { ok: false, ...formErrorsOf(parsed.error.issues), seq: prev.seq + 1, values };
  const requestId = requestIdOf(await headers());
  try {
    await passwordSignIn(parsed.data.email.toLowerCase(), parsed.data.password);
  } catch (err) {
    return { ok: false, fieldErrors: {}, formError: signInRefusal(err, requestId), seq: prev.seq + 1, values };
  }
  redirect(`/login?callbackUrl=${encodeURIComponent(next)}`);
}

/** The first administrator, then signed in as them. */
export async function setupFromForm(prev: Empty, form: FormData): Promise<Empty> {
  const values = { email: formText(form, "email"), name: formText(form, "name") };
  const parsed = setupFormSchema.safeParse({ ...values, password: formText(form, "password"), confirm: formText(form, "confirm") });
  if (!parsed.success) return { ok: false, ...formErrorsOf(parsed.error.issues), seq: prev.seq + 1, values };
  const h = await headers();
  const { email, name, password } = parsed.data;
  try {
    await completeSetup(assertCleanInput({ email, password, ...(name ? { name } : {}) }), requestMeta(h));
  } catch (err) {
    return failedFormState(prev, { ok: false, error: toErrorBody(err, requestIdOf(h), "setup") }, values);
  }
  try {
    await passwordSignIn(email.toLowerCase(), password);
  } catch (err) {
    return { ok: false, fieldErrors: {}, formError: `The administrator was created, but signing in failed: ${signInRefusal(err, requestIdOf(h))}`, seq: prev.seq + 1, values };
  }
  redirect("/");
}

/** The code from the authenticator app, or a recovery code; every problem is the code field's. */
export async function secondFactorFromForm(prev: Empty, form: FormData): Promise<Empty> {
  const next = afterSignInPath(formText(form, "next"), publicUrl());
  const result = await runSecondFactorStep({ code: formText(form, "code") });
  if (result.ok) redirect(next);
  const state = failedFormState(prev, result);
  const message = state.fieldErrors.code ?? state.formError ?? result.error.message;
  return { ok: false, fieldErrors: { code: message }, seq: state.seq };
}

/**
 * Signing out as a form (it works before JavaScript has loaded): the session record is ended and audited as
 * next-auth's own sign-out does, the cookie removed, and the browser sent to the sign-in page. A failure to
 * record it is logged; the cookie still goes, so the person is signed out in this browser either way.
 */
export async function signOutFromForm(): Promise<never> {
  const h = await headers();
  try {
    // A session already ended (elsewhere, or idle) has nothing left to end or record.
    const context = await getSessionContext();
    if (context) await recordSignOut({ uid: context.principal.id, sid: context.sessionId }, requestMeta(h));
  } catch (err) {
    log.error({ err, requestId: requestIdOf(h) }, "recording a sign-out failed");
  }
  await clearSessionCookie();
  redirect("/login");
}
