"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { getNetworkPolicy } from "@/lib/queries/notification-channels";
import { useServerAction, type Action } from "../use-server-action";
import { Button, ErrorMessage, Field } from "../ui/form";

export type NetworkPolicyView = Awaited<ReturnType<typeof getNetworkPolicy>>;

export function NetworkPolicyForm({ action, deny, allow }: { action: Action } & Pick<NetworkPolicyView, "deny" | "allow">) {
  const router = useRouter();
  const { error, pending, run } = useServerAction(action);
  const [saved, setSaved] = useState(false);
  const area = "block w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500";
  return (
    <form
      data-testid="network-policy-form"
      className="grid gap-3 sm:grid-cols-2"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        setSaved(false);
        run({ deny: f.get("deny"), allow: f.get("allow") }, () => {
          setSaved(true);
          router.refresh();
        });
      }}
    >
      <Field label="Also deny" hint="CIDR ranges, one per line (e.g. 10.20.0.0/16).">
        <textarea name="deny" rows={4} defaultValue={deny.join("\n")} className={area} />
      </Field>
      <Field label="Allow" hint="Exceptions that win over every denial, the defaults included.">
        <textarea name="allow" rows={4} defaultValue={allow.join("\n")} className={area} />
      </Field>
      <div className="flex items-center gap-3 sm:col-span-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save network policy"}
        </Button>
        {saved ? <span className="text-sm text-emerald-700">Saved; workers pick it up within 15 s.</span> : null}
      </div>
      <div className="sm:col-span-2">
        <ErrorMessage>{error}</ErrorMessage>
      </div>
    </form>
  );
}
