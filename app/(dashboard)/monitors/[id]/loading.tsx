import { HeaderSkeleton, PageSkeleton, SectionSkeleton, TilesSkeleton } from "@/components/ui/skeleton";

/** The monitor page's shape: uptime tiles, recent checks, the latency chart, incidents. */
export default function Loading() {
  return (
    <PageSkeleton label="the monitor">
      <HeaderSkeleton />
      <TilesSkeleton className="mb-6" />
      <SectionSkeleton height="h-10" />
      <SectionSkeleton height="h-64" />
      <SectionSkeleton rows={3} />
    </PageSkeleton>
  );
}
