"use client";

import type { FormAction } from "./use-progressive-form";
import { useProgressiveForm } from "./use-progressive-form";
import { ErrorMessage, Field, SubmitButton, TextInput } from "./ui/form";

/**
 * Step one: email and password, posted to a server action (it works before JavaScript has loaded). The
 * sign-in page then decides: in, a code owed, or a required enrolment.
 */
export function LoginForm({ next, action }: { next: string; action: FormAction<null> }) {
  const { state, pending, errorOf, valueOf, formProps } = useProgressiveForm(action);
  // After a refused password (a page posted without JavaScript), the cursor goes where the next thing to type is.
  const focusPassword = Boolean(valueOf("email")) && !errorOf("email");
  return (
    <form {...formProps} className="space-y-4" aria-label="Sign in">
      <h1 className="text-lg font-semibold">Sign in</h1>
      <input type="hidden" name="next" value={next} />
      <Field label="Email" error={errorOf("email")}>
        <TextInput name="email" type="email" autoComplete="username" required autoFocus={!focusPassword} defaultValue={valueOf("email")} />
      </Field>
      <Field label="Password" error={errorOf("password")}>
        <TextInput name="password" type="password" autoComplete="current-password" required autoFocus={focusPassword} />
      </Field>
      <ErrorMessage>{state.formError}</ErrorMessage>
      <SubmitButton pending={pending} pendingLabel="Signing in…" className="w-full">
        Sign in
      </SubmitButton>
    </form>
  );
}
