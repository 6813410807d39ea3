"use client";

import { startTransition, useActionState, useEffect, useRef, type FormEvent } from "react";
import type { FormState } from "@/lib/actions/form-state";
import { INITIAL_FORM_STATE } from "./use-action-form";

/** A server action that takes the posted form itself and answers with the form's next state (or redirects). */
export type FormAction<R> = (prev: FormState<R>, form: FormData) => Promise<FormState<R>>;

/**
 * The form pattern for the simple forms that must work before JavaScript has loaded (signing in, setup):
 * `formProps.action` is the server action itself, so React renders a form the browser can post on its own and
 * the server answers with the page and this state (useActionState's progressive enhancement). Once hydrated,
 * the submit is taken over so the form is not reset (what was typed stays on an error) and the first invalid
 * field takes the focus. Before that, the answer's `values` are the inputs' default values.
 */
export function useProgressiveForm<R>(action: FormAction<R>) {
  const formRef = useRef<HTMLFormElement>(null);
  const [state, dispatch, pending] = useActionState(action, INITIAL_FORM_STATE as FormState<R>);

  useEffect(() => {
    const form = formRef.current;
    if (state.seq === 0 || !form || state.ok) return;
    const first = Array.from(form.elements).find((el): el is HTMLElement => el instanceof HTMLElement && Boolean(state.fieldErrors[(el as HTMLInputElement).name]));
    first?.focus();
  }, [state]);

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    // React would reset the form after running `action`; preventing the submit and dispatching keeps the values.
    e.preventDefault();
    const formData = new FormData(e.currentTarget, (e.nativeEvent as SubmitEvent).submitter);
    startTransition(() => dispatch(formData));
  };

  return {
    state,
    pending,
    errorOf: (name: string): string | undefined => state.fieldErrors[name],
    /** What the server sent back for a field (a post made before JavaScript had loaded). */
    valueOf: (name: string): string | undefined => state.values?.[name],
    formProps: { ref: formRef, action: dispatch, onSubmit, noValidate: true },
  };
}
