import type { getOverviewCounts } from "@/lib/queries/overview";
import { CardLink } from "../ui/card";

type OverviewCounts = Awaited<ReturnType<typeof getOverviewCounts>>;

/**
 * How many apps, servers, monitors and deploys there are, each a link to its list: a list of links (a <dl> may
 * hold only <dt>/<dd> groups, not links around them), each read as "Apps 3".
 */
export function OverviewCountTiles({ counts }: { counts: OverviewCounts }) {
  const tiles = [
    { label: "Apps", value: counts.apps, href: "/apps" },
    { label: "Servers", value: counts.servers, href: "/servers" },
    { label: "Monitors", value: counts.monitors, href: "/monitors" },
    { label: "Deploys", value: counts.deploys, href: "/apps" },
  ];
  return (
    <ul className="mb-8 grid grid-cols-2 gap-4 sm:grid-cols-4" aria-label="Counts">
      {tiles.map((t) => (
        <li key={t.label} className="grid">
          <CardLink href={t.href} padding="sm">
            <span className="block text-sm text-slate-500">{t.label}</span>
            <span className="block text-2xl font-semibold">{t.value}</span>
          </CardLink>
        </li>
      ))}
    </ul>
  );
}
