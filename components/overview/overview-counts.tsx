import type { getOverviewCounts } from "@/lib/queries/overview";
import { CardLink } from "../ui/card";

type OverviewCounts = Awaited<ReturnType<typeof getOverviewCounts>>;

/** How many apps, servers, monitors and deploys there are, each a link to its list. */
export function OverviewCountTiles({ counts }: { counts: OverviewCounts }) {
  const tiles = [
    { label: "Apps", value: counts.apps, href: "/apps" },
    { label: "Servers", value: counts.servers, href: "/servers" },
    { label: "Monitors", value: counts.monitors, href: "/monitors" },
    { label: "Deploys", value: counts.deploys, href: "/apps" },
  ];
  return (
    <dl className="mb-8 grid grid-cols-2 gap-4 sm:grid-cols-4">
      {tiles.map((t) => (
        <CardLink key={t.label} href={t.href} padding="sm">
          <dt className="text-sm text-slate-500">{t.label}</dt>
          <dd className="text-2xl font-semibold">{t.value}</dd>
        </CardLink>
      ))}
    </dl>
  );
}
