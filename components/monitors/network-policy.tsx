import { Section } from "../ui/section";
import type { Action } from "../use-server-action";
import { NetworkPolicyForm, type NetworkPolicyView } from "./network-policy-form";

/** Which addresses checks and webhooks refuse: the built-in ranges, then the admin's own denials and exceptions. */
export function NetworkPolicySection({ policy, save }: { policy: NetworkPolicyView; save: Action }) {
  return (
    <Section title="Network policy" size="lg" description="Checks and webhooks refuse these by default, after resolving names and on every redirect hop; private and loopback addresses are allowed.">
      <ul className="mb-4 grid gap-1 text-xs text-slate-600 sm:grid-cols-2" data-testid="default-denied">
        {policy.defaults.map((d) => (
          <li key={d.cidr}>
            <span className="font-mono">{d.cidr}</span> — {d.why}
          </li>
        ))}
      </ul>
      <p className="mb-4 text-xs text-slate-600">
        An IPv6 address that carries an IPv4 one (IPv4-mapped, IPv4-compatible, SIIT or NAT64, including the local-use 64:ff9b:1::/48) is judged as that IPv4 address, so these ranges and your own are refused in those forms too.
      </p>
      <NetworkPolicyForm action={save} deny={policy.deny} allow={policy.allow} />
    </Section>
  );
}
