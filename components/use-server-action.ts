"use client";

import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/actions/server-action";

export type Action<R = unknown> = (input: unknown) => Promise<ActionResult<R>>;

/**
 * Runs a server action from a button (or a form with its own flow; a plain form uses useActionForm): pending
 * state, readable error, the per-field errors of an invalid input, success callback.
 */
export function useServerAction<R>(action: Action<R>) {
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string> | null>(null);
  const [pending, start] = useTransition();
  const run = (input: unknown, onOk?: (data: R) => void) =>
    start(async () => {
      setError(null);
      setFieldErrors(null);
      const result = await action(input);
      if (result.ok) onOk?.(result.data);
      else {
        setError(result.error.message);
        if (result.error.fieldErrors && Object.keys(result.error.fieldErrors).length > 0) setFieldErrors(result.error.fieldErrors);
      }
    });
  return { error, fieldErrors, pending, run, setError };
}
