import { HeaderSkeleton, PageSkeleton, SectionSkeleton, TilesSkeleton } from "@/components/ui/skeleton";

/** The overview's shape (counts, apps, health, deploys); also what any dashboard page without its own shows. */
export default function Loading() {
  return (
    <PageSkeleton label="the overview">
      <HeaderSkeleton />
      <TilesSkeleton />
      <SectionSkeleton bare rows={3} className="mt-8" />
      <SectionSkeleton bare rows={4} className="mt-8" />
    </PageSkeleton>
  );
}
