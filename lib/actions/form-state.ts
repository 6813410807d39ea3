import type { ActionResult } from "./server-action";

/** What a form shows after its last submit: per-field errors, one for the form, or the action's result. */
export interface FormState<R> {
  /** null until the first submit. */
  ok: boolean | null;
  data?: R;
  fieldErrors: Record<string, string>;
  formError?: string;
  /** Counts submits, so the same error twice still moves the focus again. */
  seq: number;
  /**
   * What was typed, sent back by a form that works before JavaScript has loaded: the browser posted the form
   * and gets a new page, whose inputs take these as their default values. Never a password.
   */
  values?: Record<string, string>;
}

/**
 * A server action's failure as the state of a form whose control names are its fields (the simple forms that
 * work without JavaScript): each field's error next to it, the rest the form's own error.
 */
export function failedFormState<R>(prev: FormState<R>, result: Extract<ActionResult<unknown>, { ok: false }>, values?: Record<string, string>): FormState<R> {
  const fieldErrors = result.error.fieldErrors ?? {};
  const formError = result.error.formError ?? (Object.keys(fieldErrors).length ? undefined : result.error.message);
  return { ok: false, fieldErrors, ...(formError ? { formError } : {}), seq: prev.seq + 1, ...(values ? { values } : {}) };
}

/** A text field of a posted form ("" when absent or a file). */
export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}
