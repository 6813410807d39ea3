"use client";

import { useRouter } from "next/navigation";
import type { OwnAccount } from "@/lib/queries/account";
import { Section } from "../ui/section";
import { Button, ErrorMessage, Field, TextInput } from "../ui/form";
import { formatMinute } from "../ui/time";
import { useServerAction, type Action } from "../use-server-action";
import { TwoFactorSetup } from "./two-factor-setup";

type Actions = {
  start: Action<{ secret: string; qrSvg: string; uri: string }>;
  confirm: Action<{ recoveryCodes: string[] }>;
  disable: Action;
};

function DisableForm({ action }: { action: Action }) {
  const router = useRouter();
  const { error, pending, run } = useServerAction(action);
  return (
    <form
      aria-label="Turn off two-factor sign-in"
      className="grid max-w-md gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        run({ password: new FormData(e.currentTarget).get("password") }, () => router.refresh());
      }}
    >
      <Field label="Your password, to turn it off">
        <TextInput name="password" type="password" autoComplete="current-password" required />
      </Field>
      <ErrorMessage>{error?.replace(/^password: /, "")}</ErrorMessage>
      <div>
        <Button type="submit" variant="secondary" disabled={pending}>
          Turn off two-factor sign-in
        </Button>
      </div>
    </form>
  );
}

/** The second factor: set it up, see how many recovery codes are left, or turn it off (unless required). */
export function TwoFactorSection({ twoFactor, actions }: { twoFactor: OwnAccount["twoFactor"]; actions: Actions }) {
  const router = useRouter();
  const on = twoFactor.enabledAt !== null;
  return (
    <Section title="Two-factor sign-in" size="lg" className="mb-8" description={twoFactor.required ? "Required for your role by an admin." : "A code from an authenticator app after your password."}>
      {on ? (
        <div className="space-y-4">
          <p className="text-sm" data-testid="two-factor-status">
            <span className="font-medium text-emerald-700">On</span> since {formatMinute(twoFactor.enabledAt!)}. {twoFactor.recoveryCodesLeft} of 10 recovery codes left.
          </p>
          {twoFactor.required ? null : <DisableForm action={actions.disable} />}
        </div>
      ) : (
        <TwoFactorSetup start={actions.start} confirm={actions.confirm} onDone={() => router.refresh()} doneLabel="Done" />
      )}
    </Section>
  );
}
