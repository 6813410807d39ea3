"use client";

import { TwoFactorSetup } from "../account/two-factor-setup";
import type { Action } from "../use-server-action";
import { SignOutButton, type SignOutAction } from "./sign-out-button";

/** When two-factor sign-in is required for the user's role and not set up: enrolment before anything else. */
export function RequiredEnrolment({
  email,
  next,
  start,
  confirm,
  signOut,
}: {
  email: string;
  next: string;
  start: Action<{ secret: string; qrSvg: string; uri: string }>;
  confirm: Action<{ recoveryCodes: string[] }>;
  signOut: SignOutAction;
}) {
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-lg font-semibold">Set up two-factor sign-in</h1>
        <p className="text-sm text-slate-500">
          An admin requires it for <span className="font-medium text-slate-700">{email}</span>. Set it up to continue.
        </p>
      </div>
      <TwoFactorSetup start={start} confirm={confirm} onDone={() => window.location.replace(next)} doneLabel="Continue to Deckhand" />
      <SignOutButton action={signOut} className="w-full text-center text-sm text-slate-500 hover:text-slate-900" />
    </div>
  );
}
