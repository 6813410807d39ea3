import { HeaderSkeleton, PageSkeleton, SectionSkeleton, TilesSkeleton } from "@/components/ui/skeleton";

/** The overview's shape (counts, apps, health, deploys). In its own route group so it wraps only the overview: a loading boundary above a guarded page would stream a 200 before the page can answer 403 or 404. */
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
