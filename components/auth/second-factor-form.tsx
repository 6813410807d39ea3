"use client";

import { SignOutButton, type SignOutAction } from "./sign-out-button";
import { useProgressiveForm, type FormAction } from "../use-progressive-form";
import { Field, SubmitButton, TextInput } from "../ui/form";

/** Step two: the 6-digit code from the authenticator app, or one of the recovery codes (works before JavaScript has loaded). */
export function SecondFactorForm({ email, next, action, signOut }: { email: string; next: string; action: FormAction<null>; signOut: SignOutAction }) {
  const { pending, errorOf, formProps } = useProgressiveForm(action);
  return (
    <div className="space-y-4">
      <form {...formProps} className="space-y-4" aria-label="Two-factor code">
        <div>
          <h1 className="text-lg font-semibold">Two-factor sign-in</h1>
          <p className="text-sm text-slate-500">
            Signing in as <span className="font-medium text-slate-700">{email}</span>.
          </p>
        </div>
        <input type="hidden" name="next" value={next} />
        <Field label="Authentication code" hint="The 6 digits your authenticator app shows, or one of your recovery codes." error={errorOf("code")}>
          <TextInput name="code" autoComplete="one-time-code" autoCapitalize="none" spellCheck={false} required autoFocus />
        </Field>
        <SubmitButton pending={pending} pendingLabel="Checking…" className="w-full">
          Verify
        </SubmitButton>
      </form>
      <SignOutButton action={signOut} className="w-full text-center text-sm text-slate-500 hover:text-slate-900">
        Sign in as someone else
      </SignOutButton>
    </div>
  );
}
