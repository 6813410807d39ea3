import { Card } from "@/components/ui/card";
import { Bone, HeaderSkeleton, PageSkeleton, SectionSkeleton } from "@/components/ui/skeleton";

/** The audit page's shape: chain status, the filter bar, then the events. */
export default function Loading() {
  return (
    <PageSkeleton label="the audit log">
      <HeaderSkeleton />
      <Card padding="sm" className="mb-6">
        <Bone className="h-5 w-64 max-w-full" />
      </Card>
      <Card padding="sm" className="mb-6 grid grid-cols-2 gap-3 sm:grid-cols-4 lg:grid-cols-8">
        {Array.from({ length: 8 }, (_, i) => (
          <Bone key={i} className="h-9 w-full" />
        ))}
      </Card>
      <SectionSkeleton bare rows={10} className="" />
    </PageSkeleton>
  );
}
