import { Card } from "@/components/ui/card";
import { Bone, HeaderSkeleton, PageSkeleton, SectionSkeleton } from "@/components/ui/skeleton";

/** The app page's shape: current release beside the deploy panel, then releases, scorecard and history. */
export default function Loading() {
  return (
    <PageSkeleton label="the app">
      <HeaderSkeleton />
      <div className="mb-6 grid gap-4 lg:grid-cols-3">
        <Card padding="md" className="space-y-3">
          <Bone className="h-5 w-32" />
          <Bone className="h-4 w-full" />
          <Bone className="h-4 w-2/3" />
        </Card>
        <Card padding="md" className="space-y-3 lg:col-span-2">
          <Bone className="h-5 w-24" />
          <Bone className="h-9 w-full" />
        </Card>
      </div>
      <SectionSkeleton rows={4} />
      <SectionSkeleton rows={3} />
      <SectionSkeleton rows={5} />
    </PageSkeleton>
  );
}
