"use client";

import { useProgressiveForm, type FormAction } from "./use-progressive-form";
import { ErrorMessage, Field, SubmitButton, TextInput } from "./ui/form";

/** The first administrator (works before JavaScript has loaded); success signs them in and opens the overview. */
export function SetupForm({ action }: { action: FormAction<null> }) {
  const { state, pending, errorOf, valueOf, formProps } = useProgressiveForm(action);
  return (
    <form {...formProps} className="space-y-4" aria-label="Create the first administrator">
      <div>
        <h1 className="text-lg font-semibold">Welcome aboard</h1>
        <p className="text-sm text-slate-500">Create the first administrator. This page disappears once an account exists.</p>
      </div>
      <Field label="Email" error={errorOf("email")}>
        <TextInput name="email" type="email" autoComplete="username" required autoFocus defaultValue={valueOf("email")} />
      </Field>
      <Field label="Name (optional)" error={errorOf("name")}>
        <TextInput name="name" autoComplete="name" defaultValue={valueOf("name")} />
      </Field>
      <Field label="Password" hint="At least 10 characters." error={errorOf("password")}>
        <TextInput name="password" type="password" autoComplete="new-password" required minLength={10} />
      </Field>
      <Field label="Confirm password" error={errorOf("confirm")}>
        <TextInput name="confirm" type="password" autoComplete="new-password" required />
      </Field>
      <ErrorMessage>{state.formError}</ErrorMessage>
      <SubmitButton pending={pending} pendingLabel="Creating…" className="w-full">
        Create admin and sign in
      </SubmitButton>
    </form>
  );
}
