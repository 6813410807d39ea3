import { Section } from "@/components/ui/section";
import type { StorageFigures } from "@/lib/health/storage";

function formatBytes(n: number): string {
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

/** Database size, growth per day and the projected size at the configured retention (issue 16). */
export function StorageSection({ figures }: { figures: StorageFigures }) {
  const r = figures.retention;
  const rows: [string, string][] = [
    ["Database size", formatBytes(figures.databaseBytes)],
    ["Check history (results and rollups)", formatBytes(figures.historyBytes)],
    ["Growth per day", formatBytes(figures.growthBytesPerDay)],
    ["Projected size at this retention", formatBytes(figures.projectedBytes)],
  ];
  return (
    <Section title="Storage" description={`Raw check results are kept ${r.raw} days, minute rollups ${r.minute} days, hour and day rollups ${r.hour} days.`} data-testid="storage">
      <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
        {rows.map(([label, value]) => (
          <div key={label} className="flex justify-between gap-4 border-b border-slate-100 pb-1 dark:border-slate-800">
            <dt className="text-slate-500">{label}</dt>
            <dd className="font-medium tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>
    </Section>
  );
}
