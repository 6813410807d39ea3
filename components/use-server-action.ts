"use client";

import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/actions/server-action";

export type Action<R = unknown> = (input: unknown) => Promise<ActionResult<R>>;

/** Runs a server action from a form or button: pending state, readable error, success callback. */
export function useServerAction<R>(action: Action<R>) {
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const run = (input: unknown, onOk?: (data: R) => void) =>
    start(async () => {
      setError(null);
      const result = await action(input);
      if (result.ok) onOk?.(result.data);
      else setError(result.error.message);
    });
  return { error, pending, run, setError };
}
