import type { RecentCheck } from "@/lib/queries/monitors";
import { StatusBar } from "../charts/status-bar";
import { Section } from "../ui/section";
import { formatTime } from "../ui/time";

export function RecentChecks({ checks, lastCheckedAt }: { checks: RecentCheck[]; lastCheckedAt: number | null }) {
  return (
    <Section
      title="Recent checks"
      className="mb-6"
      actions={<span className="text-xs text-slate-500">last {checks.length}, oldest on the left · last check {formatTime(lastCheckedAt)}</span>}
    >
      <StatusBar checks={checks} />
    </Section>
  );
}
