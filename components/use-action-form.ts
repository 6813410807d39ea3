"use client";

import { startTransition, useActionState, useEffect, useRef, type FormEvent } from "react";
import type { FormState } from "@/lib/actions/form-state";
import type { Action } from "./use-server-action";

export type { FormState };

/** Before the first submit. */
export const INITIAL_FORM_STATE: FormState<never> = { ok: null, fieldErrors: {}, seq: 0 };

/** The names of the form's controls: an error on a field the form does not show goes to the form's error. */
function controlNames(form: HTMLFormElement | null): Set<string> {
  return new Set(
    Array.from(form?.elements ?? [])
      .map((el) => (el as HTMLInputElement).name)
      .filter(Boolean),
  );
}

/** The control an error's field belongs to: the one of its name, or the nearest enclosing one ("config.to.1" → "config.to"). */
function controlOf(field: string, names: Set<string>): string | null {
  for (let path = field; path; path = path.includes(".") ? path.slice(0, path.lastIndexOf(".")) : "") if (names.has(path)) return path;
  return null;
}

/** Where the focus goes for a field: the control itself, or the first control inside a fieldset of that name (a group). */
function focusTarget(el: HTMLElement): HTMLElement | null {
  if (!(el instanceof HTMLFieldSetElement)) return el;
  return el.querySelector<HTMLElement>("input:not([type=hidden]), select, textarea, button");
}

/**
 * The one form pattern (React 19 useActionState): the submit reads the form into the action's input, runs
 * the server action, and the answer's field errors show next to their fields (Field's `error`), the first
 * invalid field takes the focus, and what was typed stays (the form is not reset unless `onOk` does it).
 * A problem on a nested field ("config.url", "groups.1.name") goes to the control of that name or the nearest
 * enclosing one (a <fieldset name="groups.1"> for a group); problems on fields the form has no control for,
 * and any other failure, are the form's own error.
 */
export function useActionForm<R>(
  action: Action<R>,
  toInput: (form: FormData) => unknown,
  onOk?: (data: R, form: HTMLFormElement) => void,
  /** Checks only the browser can make (two password fields agree): field errors, and the action is not called. */
  validate?: (form: FormData) => Record<string, string> | null,
) {
  const formRef = useRef<HTMLFormElement>(null);
  const onOkRef = useRef(onOk);
  useEffect(() => {
    onOkRef.current = onOk;
  });
  const [state, dispatch, pending] = useActionState(async (prev: FormState<R>, formData: FormData): Promise<FormState<R>> => {
    const seq = prev.seq + 1;
    const local = validate?.(formData);
    if (local && Object.keys(local).length > 0) return { ok: false, fieldErrors: local, seq };
    const result = await action(toInput(formData));
    if (result.ok) {
      // Here rather than in an effect: the answer may re-render the parent so that this form remounts (a form
      // keyed on the saved values), and the new instance would never see this state.
      if (formRef.current) onOkRef.current?.(result.data, formRef.current);
      return { ok: true, data: result.data, fieldErrors: {}, seq };
    }
    const names = controlNames(formRef.current);
    const fieldErrors: Record<string, string> = {};
    const elsewhere: string[] = [];
    for (const [field, message] of Object.entries(result.error.fieldErrors ?? {})) {
      const control = controlOf(field, names);
      if (control) fieldErrors[control] ??= message;
      else elsewhere.push(`${field}: ${message}`);
    }
    const own = result.error.formError ?? (Object.keys(result.error.fieldErrors ?? {}).length ? undefined : result.error.message);
    const formError = [own, ...elsewhere].filter(Boolean).join(" ") || undefined;
    return { ok: false, fieldErrors, ...(formError ? { formError } : {}), seq };
  }, INITIAL_FORM_STATE);

  useEffect(() => {
    const form = formRef.current;
    if (state.seq === 0 || !form || state.ok) return;
    const first = Array.from(form.elements).find((el): el is HTMLElement => el instanceof HTMLElement && Boolean(state.fieldErrors[(el as HTMLInputElement).name]));
    if (first) focusTarget(first)?.focus();
  }, [state]);

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    // Not the form's `action`: React would reset the form after it, and the typed values must stay on an error.
    e.preventDefault();
    const formData = new FormData(e.currentTarget);
    startTransition(() => dispatch(formData));
  };

  return {
    state,
    pending,
    /** The error to show next to the field of this name. */
    errorOf: (name: string): string | undefined => state.fieldErrors[name],
    /** Spread on the <form>: all problems come back from the server at once, so the browser's own checks stay out of the way. */
    formProps: { ref: formRef, onSubmit, noValidate: true },
  };
}
