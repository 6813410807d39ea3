import type { RecentCheck } from "@/lib/queries/monitors";
import { StatusBar } from "../charts/status-bar";
import { Section } from "../ui/section";
import { LocalTime } from "../ui/local-time";

export function RecentChecks({ checks, lastCheckedAt }: { checks: RecentCheck[]; lastCheckedAt: number | null }) {
  return (
    <Section
      title="Recent checks"
      className="mb-6"
      actions={
        <span className="text-xs text-slate-500">
          last {checks.length}, oldest on the left · last check <LocalTime ms={lastCheckedAt} />
        </span>
      }
    >
      <StatusBar checks={checks} />
    </Section>
  );
}
