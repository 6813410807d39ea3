import { Section } from "../ui/section";
import type { Action } from "../use-server-action";
import { NetworkPolicyForm, type NetworkPolicyView } from "./channel-forms";

/** Which addresses checks and webhooks refuse: the built-in ranges, then the admin's own denials and exceptions. */
export function NetworkPolicySection({ policy, save }: { policy: NetworkPolicyView; save: Action }) {
  return (
    <Section
      title="Network policy"
      size="lg"
      description="Checks and webhooks refuse these by default, after resolving names and on every redirect hop; private and loopback addresses are allowed."
    >
      <ul className="mb-4 grid gap-1 text-xs text-slate-600 sm:grid-cols-2" data-testid="default-denied">
        {policy.defaults.map((d) => (
          <li key={d.cidr}>
            <span className="font-mono">{d.cidr}</span> — {d.why}
          </li>
        ))}
      </ul>
      <NetworkPolicyForm action={save} deny={policy.deny} allow={policy.allow} />
    </Section>
  );
}
