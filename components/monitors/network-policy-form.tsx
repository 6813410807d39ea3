"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { getNetworkPolicy } from "@/lib/queries/notification-channels";
import type { Action } from "../use-server-action";
import { useActionForm } from "../use-action-form";
import { ErrorMessage, Field, SubmitButton, TextArea } from "../ui/form";

export type NetworkPolicyView = Awaited<ReturnType<typeof getNetworkPolicy>>;

export function NetworkPolicyForm({ action, deny, allow }: { action: Action } & Pick<NetworkPolicyView, "deny" | "allow">) {
  const router = useRouter();
  const [saved, setSaved] = useState(false);
  const toInput = (f: FormData) => (setSaved(false), { deny: f.get("deny"), allow: f.get("allow") });
  const { state, pending, errorOf, formProps } = useActionForm(action, toInput, () => {
    setSaved(true);
    router.refresh();
  });
  return (
    <form data-testid="network-policy-form" aria-label="Network policy" className="grid gap-3 sm:grid-cols-2" {...formProps}>
      <Field label="Also deny" hint="CIDR ranges, one per line (e.g. 10.20.0.0/16)." error={errorOf("deny")}>
        <TextArea name="deny" rows={4} defaultValue={deny.join("\n")} className="font-mono" />
      </Field>
      <Field label="Allow" hint="Exceptions that win over every denial, the defaults included." error={errorOf("allow")}>
        <TextArea name="allow" rows={4} defaultValue={allow.join("\n")} className="font-mono" />
      </Field>
      <div className="flex items-center gap-3 sm:col-span-2">
        <SubmitButton pending={pending} pendingLabel="Saving…">
          Save network policy
        </SubmitButton>
        {saved ? (
          <span role="status" className="text-sm text-emerald-700">
            Saved; workers pick it up within 15 s.
          </span>
        ) : null}
      </div>
      <div className="sm:col-span-2">
        <ErrorMessage>{state.formError}</ErrorMessage>
      </div>
    </form>
  );
}
