"use client";

import { useFormStatus } from "react-dom";
import type { ReactNode } from "react";

export type SignOutAction = () => Promise<void>;

function Submit({ className, children }: { className: string; children: ReactNode }) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" disabled={pending} className={className}>
      {pending ? "Signing out…" : children}
    </button>
  );
}

/** Sign out as a form posted to a server action, so it works before JavaScript has loaded. */
export function SignOutButton({ action, className, children = "Sign out" }: { action: SignOutAction; className: string; children?: ReactNode }) {
  return (
    <form action={action} className="contents">
      <Submit className={className}>{children}</Submit>
    </form>
  );
}
